import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect } from 'node:net';
import { checkAmrNb } from '../../common/audio/amr';
import { AppConfig } from '../../config/configuration';
import { DependencyStatus, HealthService } from '../../health/health.service';
import { EspeakTtsClient } from './espeak-tts.client';
import { HttpTtsClient } from './http-tts.client';
import { TtsClient, TtsError } from './tts.client';

/** How often the driver is probed again, so an installed tool or a recovered endpoint turns the check up. */
export const TTS_PROBE_INTERVAL_MS = 60_000;
const PROBE_TIMEOUT_MS = 5000;
/** Two characters: exercises espeak-ng's Mandarin voice, the pipe and sox's AMR-NB encoder in ~30 ms. */
const PROBE_TEXT = '你好';

/** The http driver's endpoint accepts TCP connections (no request is made: a vendor call may cost money). */
function reachable(url: string, timeoutMs: number): Promise<void> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new TtsError(`${target.host} did not accept a connection within ${timeoutMs} ms`));
    });
    socket.once('error', (err) => reject(new TtsError(`${target.host} unreachable: ${err.message}`)));
  });
}

/**
 * Probes the configured TTS driver in processes that run speech jobs: at start, then every
 * TTS_PROBE_INTERVAL_MS. espeak: a tiny real synthesis whose output must be valid AMR-NB (espeak-ng, the
 * Mandarin voice, sox and its AMR-NB format all present); http: the endpoint accepts connections.
 * The result is the `tts` readiness check. It makes the instance unready only for APP_ROLE=worker: a
 * worker without TTS cannot do its job, while an `all` instance still serves the whole partner API (a
 * failed clip never fails an apply) and taking it out of the balancer would turn one degraded feature
 * into an outage; an api instance never synthesises and has no such check (docs/reliability.md).
 * A substituted TtsClient (tests) is not probed.
 */
@Injectable()
export class TtsProbeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SpeechSynthesis');
  private last: DependencyStatus = { status: 'down', latencyMs: 0, error: 'not probed yet' };
  private timer?: NodeJS.Timeout;
  private running?: Promise<DependencyStatus>;

  constructor(
    private readonly tts: TtsClient,
    private readonly config: AppConfig,
    private readonly health: HealthService,
  ) {}

  get probed(): boolean {
    return this.tts instanceof EspeakTtsClient || this.tts instanceof HttpTtsClient;
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers || !this.probed) {
      return;
    }
    const required = this.config.role === 'worker';
    this.health.register({ name: 'tts', required, check: () => Promise.resolve(this.last) });
    void this.probe();
    this.timer = setInterval(() => void this.probe(), TTS_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one probe (or joins the one running) and records its outcome; never throws. */
  probe(): Promise<DependencyStatus> {
    this.running ??= this.runProbe().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runProbe(): Promise<DependencyStatus> {
    const started = Date.now();
    const wasUp = this.last.status === 'up';
    const details = { driver: this.tts.driver, checkedAt: new Date(started).toISOString() };
    try {
      if (this.tts instanceof HttpTtsClient) {
        await reachable(this.config.tts.httpUrl ?? '', PROBE_TIMEOUT_MS);
      } else {
        const check = checkAmrNb(await this.tts.synthesize(PROBE_TEXT, PROBE_TIMEOUT_MS));
        if (!check.valid) {
          throw new TtsError(`probe clip is not valid AMR-NB (${check.reason})`);
        }
      }
      this.last = { status: 'up', latencyMs: Date.now() - started, details };
      if (!wasUp) {
        this.logger.log({ msg: 'speech synthesis available', driver: this.tts.driver, ms: this.last.latencyMs });
      }
    } catch (err) {
      const error = (err as Error).message;
      const changed = wasUp || this.last.error !== error;
      this.last = { status: 'down', latencyMs: Date.now() - started, error, details };
      if (changed) {
        this.logger.error({
          msg: 'speech synthesis unavailable: speech jobs will fail until this is fixed',
          driver: this.tts.driver,
          err: error,
        });
      }
    }
    return this.last;
  }
}
