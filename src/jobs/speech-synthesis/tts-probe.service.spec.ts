import { ConsoleLogger, Logger } from '@nestjs/common';
import { AddressInfo, createServer, Server } from 'node:net';
import { AppConfig, loadConfig } from '../../config/configuration';
import { HealthService, ReadinessCheck } from '../../health/health.service';
import { EspeakTtsClient } from './espeak-tts.client';
import { HttpTtsClient } from './http-tts.client';
import { TtsClient } from './tts.client';
import { TtsProbeService } from './tts-probe.service';

class RecordingHealth {
  readonly checks: ReadinessCheck[] = [];
  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }
}

function probeOf(
  tts: TtsClient,
  env: Record<string, string> = {},
): { probe: TtsProbeService; health: RecordingHealth } {
  const health = new RecordingHealth();
  const config: AppConfig = loadConfig(env);
  return { probe: new TtsProbeService(tts, config, health as unknown as HealthService), health };
}

describe(TtsProbeService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('should report the real espeak-ng and sox pipeline up', async () => {
    const { probe } = probeOf(new EspeakTtsClient());
    await expect(probe.probe()).resolves.toMatchObject({ status: 'up', details: { driver: 'espeak' } });
  });

  it('should report a missing tool down with the reason', async () => {
    const { probe } = probeOf(new EspeakTtsClient({ soxCommand: '/nonexistent/sox' }));
    const status = await probe.probe();
    expect(status.status).toBe('down');
    expect(status.error).toMatch(/sox could not start: spawn \/nonexistent\/sox ENOENT/);
  });

  it('should make tts required for readiness only in a worker process', async () => {
    const worker = probeOf(new EspeakTtsClient(), { APP_ROLE: 'worker' });
    const all = probeOf(new EspeakTtsClient(), { APP_ROLE: 'all' });
    const api = probeOf(new EspeakTtsClient(), { APP_ROLE: 'api' });
    for (const { probe } of [worker, all, api]) {
      probe.onApplicationBootstrap();
      probe.onApplicationShutdown();
      await probe.probe();
    }
    expect(worker.health.checks.map((c) => [c.name, c.required])).toEqual([['tts', true]]);
    expect(all.health.checks.map((c) => [c.name, c.required])).toEqual([['tts', false]]);
    expect(api.health.checks).toEqual([]);
  });

  describe('http driver', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const env = (url: string): Record<string, string> => ({
      TTS_DRIVER: 'http',
      TTS_HTTP_URL: url,
      TTS_APP_KEY: '1234567890',
      TTS_APP_SECRET: 'secret',
    });

    it('should report a reachable endpoint up without sending a request', async () => {
      const url = `http://127.0.0.1:${port}/txt2voice`;
      const { probe } = probeOf(new HttpTtsClient({ url, appKey: '1', appSecret: 's' }), env(url));
      await expect(probe.probe()).resolves.toMatchObject({ status: 'up', details: { driver: 'http' } });
    });

    it('should report a refused endpoint down', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const url = `http://127.0.0.1:${closedPort}/txt2voice`;
      const { probe } = probeOf(new HttpTtsClient({ url, appKey: '1', appSecret: 's' }), env(url));
      const status = await probe.probe();
      expect(status.status).toBe('down');
      expect(status.error).toMatch(/unreachable: connect ECONNREFUSED/);
    });
  });
});
