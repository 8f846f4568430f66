import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/configuration';
import {
  SPEECH_SYNTHESIS_JOB_OPTIONS,
  SPEECH_SYNTHESIS_NOW_JOB_OPTIONS,
  SPEECH_SYNTHESIS_QUEUE,
  SYNTHESIZE_SPEECH_JOB,
} from '../queues';
import {
  SpeechSynthesisFailedError,
  SpeechSynthesisJob,
  VoiceClipRef,
  voiceJobId,
  VoiceOwner,
  VoiceOwnerPendingLister,
  VoiceOwnerWriter,
} from './speech-synthesis.job';
import { VoiceOwnerRegistry } from './voice-owner-registry.service';
import { withTimeout } from '../../common/async/with-timeout';

/** Longest text accepted, in characters (a channel name is at most 16, plus its prefix). */
export const MAX_SPEECH_TEXT_CHARS = 200;
/** enqueue() runs inside partner requests: with Redis unreachable it fails instead of holding the request. */
export const ENQUEUE_TIMEOUT_MS = 2000;
/**
 * A caller of synthesizeNow is answering a partner request, which must be answered within 5 s
 * (API.md 2; the request deadline of src/common/overload). So the wait is TTS_TIMEOUT_MS but never more than
 * this, leaving room for the checks before and the transaction after: a slower synthesis is ME18307.
 */
export const SYNTHESIZE_NOW_MAX_WAIT_MS = 4000;

interface Waiter {
  resolve(ref: VoiceClipRef): void;
  reject(err: Error): void;
}

/** The subscription call Bull's own Job#finished makes; it resolves once the pub/sub channel is live. */
type QueueWithEvents = Queue<SpeechSynthesisJob> & { _registerEvent(eventName: string): Promise<void> };

function assertText(text: string): void {
  const chars = [...text].length;
  if (text.trim() === '' || chars > MAX_SPEECH_TEXT_CHARS) {
    throw new SpeechSynthesisFailedError(`text must have 1-${MAX_SPEECH_TEXT_CHARS} characters, got ${chars}`);
  }
}

function parseClipRef(raw: unknown): VoiceClipRef | null {
  try {
    const value = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<VoiceClipRef> | null;
    return typeof value?.clipId === 'string' && typeof value.url === 'string'
      ? { clipId: value.clipId, url: value.url }
      : null;
  } catch {
    return null;
  }
}

/**
 * The only thing features use for speech synthesis (API.md 5.1, 5.4, 8):
 * - `enqueue` queues a clip for a row and returns; the processor writes the URL back through the
 *   writer the row's feature registered with `registerOwnerWriter`.
 * - `synthesizeNow` queues a clip and waits for it up to TTS_TIMEOUT_MS (at most 4 s), else throws
 *   SpeechSynthesisFailedError (ME18307 for the partner).
 * Works in every APP_ROLE: api processes only add jobs, workers run them.
 */
@Injectable()
export class SpeechSynthesisProducer implements OnModuleInit {
  private readonly logger = new Logger(SpeechSynthesisProducer.name);
  private readonly waiters = new Map<string, Waiter>();
  private listening?: Promise<void>;

  constructor(
    @InjectQueue(SPEECH_SYNTHESIS_QUEUE) private readonly queue: Queue<SpeechSynthesisJob>,
    private readonly owners: VoiceOwnerRegistry,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // One listener pair for every waiting caller; results come over Redis pub/sub from whichever
    // process ran the job. Not awaited, so a Redis outage at boot does not stop the service starting.
    this.queue.on('global:completed', (jobId: string | number, result: unknown) => this.settle(String(jobId), result));
    this.queue.on('global:failed', (jobId: string | number, reason: unknown) =>
      this.settle(String(jobId), undefined, reason),
    );
    this.listen().catch((err: Error) =>
      this.logger.warn({ msg: 'speech-synthesis result subscription failed', err: err.message }),
    );
  }

  /**
   * Features call this in onModuleInit: `kind` names their rows in VoiceOwner. `pending` lists rows still
   * without a voice URL, so the stuck-job sweep can queue again a clip whose job Redis lost.
   */
  registerOwnerWriter(kind: string, writer: VoiceOwnerWriter, pending?: VoiceOwnerPendingLister): void {
    this.owners.register(kind, writer, pending);
  }

  /** Whether Redis still holds the owner's job, in any state. */
  async hasOwnerJob(owner: VoiceOwner): Promise<boolean> {
    return (await this.queue.getJob(voiceJobId(owner))) !== null;
  }

  /** Queues a clip of `text` for `owner`; resolves once the job is in Redis (retried with backoff there). */
  async enqueue(text: string, owner: VoiceOwner): Promise<void> {
    assertText(text);
    if (!owner?.kind || !owner.id) {
      throw new SpeechSynthesisFailedError('owner kind and id are required');
    }
    try {
      const job = await withTimeout(
        this.queue.add(
          SYNTHESIZE_SPEECH_JOB,
          { text, owner: { kind: owner.kind, id: owner.id } },
          { ...SPEECH_SYNTHESIS_JOB_OPTIONS, jobId: voiceJobId(owner) },
        ),
        ENQUEUE_TIMEOUT_MS,
        `queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`,
      );
      this.logger.log({ msg: 'speech job queued', jobId: job.id, ownerKind: owner.kind, ownerId: owner.id });
    } catch (err) {
      throw new SpeechSynthesisFailedError(`could not queue: ${(err as Error).message}`);
    }
  }

  /** Synthesises `text` and waits for the clip, at most TTS_TIMEOUT_MS (capped at 4 s) from now. */
  async synthesizeNow(text: string): Promise<VoiceClipRef> {
    assertText(text);
    const timeoutMs = Math.min(this.config.tts.timeoutMs, SYNTHESIZE_NOW_MAX_WAIT_MS);
    const notAfter = Date.now() + timeoutMs;
    const jobId = `now-${randomUUID()}`;
    const outcome = new Promise<VoiceClipRef>((resolve, reject) => this.waiters.set(jobId, { resolve, reject }));
    // The result may arrive before anyone awaits it (even before add() answers); never unhandled.
    outcome.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      return await Promise.race([
        this.addAndWait(jobId, text, notAfter, outcome),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new SpeechSynthesisFailedError(`no result within ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
    } catch (err) {
      if (timedOut) {
        void this.abandon(jobId);
      }
      this.logger.warn({ msg: 'speech synthesis failed', jobId, err: (err as Error).message });
      throw err instanceof SpeechSynthesisFailedError ? err : new SpeechSynthesisFailedError((err as Error).message);
    } finally {
      clearTimeout(timer);
      this.waiters.delete(jobId);
    }
  }

  /** Resolves once results can be received; a failed subscription is tried again by the next caller. */
  private listen(): Promise<void> {
    const queue = this.queue as QueueWithEvents;
    this.listening ??= Promise.all([
      queue._registerEvent('global:completed'),
      queue._registerEvent('global:failed'),
    ]).then(
      () => undefined,
      (err: unknown) => {
        this.listening = undefined;
        throw err;
      },
    );
    return this.listening;
  }

  private async addAndWait(
    jobId: string,
    text: string,
    notAfter: number,
    outcome: Promise<VoiceClipRef>,
  ): Promise<VoiceClipRef> {
    // A result published before the subscription is live would be missed.
    await this.listen();
    await this.queue.add(SYNTHESIZE_SPEECH_JOB, { text, notAfter }, { ...SPEECH_SYNTHESIS_NOW_JOB_OPTIONS, jobId });
    return outcome;
  }

  private settle(jobId: string, result: unknown, failedReason?: unknown): void {
    const waiter = this.waiters.get(jobId);
    if (!waiter) {
      return;
    }
    this.waiters.delete(jobId);
    if (failedReason !== undefined) {
      waiter.reject(
        new SpeechSynthesisFailedError(typeof failedReason === 'string' ? failedReason : JSON.stringify(failedReason)),
      );
      return;
    }
    const ref = parseClipRef(result);
    if (ref) {
      waiter.resolve(ref);
    } else {
      waiter.reject(new SpeechSynthesisFailedError(`job ${jobId} completed without a clip`));
    }
  }

  /**
   * The caller gave up: drop the job if it has not started. One already running is stopped by its
   * notAfter (the processor stores nothing after it), so nothing is written behind the caller's back;
   * it then stays in the failed list for inspection like any other failure.
   */
  private async abandon(jobId: string): Promise<void> {
    try {
      const job = await this.queue.getJob(jobId);
      if (job && ['waiting', 'delayed', 'paused'].includes(await job.getState())) {
        await job.remove();
      }
    } catch (err) {
      this.logger.debug({ msg: 'abandoned speech job left to its deadline', jobId, err: (err as Error).message });
    }
  }
}
