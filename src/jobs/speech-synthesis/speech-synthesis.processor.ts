import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { AppConfig } from '../../config/configuration';
import { SPEECH_SYNTHESIS_CONCURRENCY, SPEECH_SYNTHESIS_QUEUE, SYNTHESIZE_SPEECH_JOB } from '../queues';
import { SpeechSynthesisJob, VoiceClipRef } from './speech-synthesis.job';
import { TtsClient } from './tts.client';
import { VoiceClipService } from './voice-clip.service';
import { VoiceOwnerRegistry } from './voice-owner-registry.service';

/**
 * Runs speech jobs (worker processes only): reuse the clip of the same text if there is one, else
 * synthesise, validate and store it; then write its URL to the owning row, if the job has one.
 * Safe to retry: storing is de-duplicated by text and the owner write is an idempotent update.
 */
@Processor(SPEECH_SYNTHESIS_QUEUE)
export class SpeechSynthesisProcessor {
  private readonly logger = new Logger(SpeechSynthesisProcessor.name);

  constructor(
    private readonly tts: TtsClient,
    private readonly clips: VoiceClipService,
    private readonly owners: VoiceOwnerRegistry,
    private readonly config: AppConfig,
  ) {}

  @Process({ name: SYNTHESIZE_SPEECH_JOB, concurrency: SPEECH_SYNTHESIS_CONCURRENCY })
  async synthesize(job: Job<SpeechSynthesisJob>): Promise<VoiceClipRef> {
    try {
      return await this.run(job);
    } catch (err) {
      // Rethrown so Bull retries (with backoff) or, after the last attempt, keeps the job as failed.
      this.logger.warn({
        msg: 'speech job attempt failed',
        jobId: job.id,
        attempt: job.attemptsMade + 1,
        of: job.opts.attempts ?? 1,
        err: (err as Error).message,
      });
      throw err;
    }
  }

  private async run(job: Job<SpeechSynthesisJob>): Promise<VoiceClipRef> {
    const { text, owner, notAfter } = job.data;
    const context = { jobId: job.id, attempt: job.attemptsMade + 1, ownerKind: owner?.kind, ownerId: owner?.id };
    if (typeof text !== 'string' || text.trim() === '') {
      return this.giveUp(job, 'job has no text');
    }
    const writer = owner ? await this.owners.writerOf(owner.kind) : undefined;
    if (owner && !writer) {
      return this.giveUp(job, `no voice owner writer is registered for kind ${JSON.stringify(owner.kind)}`);
    }
    this.logger.log({ msg: 'speech job started', ...context, driver: this.tts.driver });

    let clip = await this.clips.findByText(this.tts.driver, text);
    if (!clip) {
      const budget = Math.min(this.config.tts.timeoutMs, (notAfter ?? Infinity) - Date.now());
      if (budget <= 0) {
        return this.giveUp(job, 'the waiting caller gave up before synthesis started');
      }
      const bytes = await this.tts.synthesize(text, budget);
      if (notAfter !== undefined && Date.now() >= notAfter) {
        return this.giveUp(job, 'the waiting caller gave up during synthesis; clip not stored');
      }
      clip = await this.clips.store(this.tts.driver, text, bytes);
    }
    const ref: VoiceClipRef = { clipId: clip.id, url: this.clips.urlOf(clip.id) };

    if (owner && writer) {
      if (!(await writer(owner.id, ref.url))) {
        this.logger.warn({ msg: 'speech job owner row is gone; nothing written', ...context, clipId: ref.clipId });
        return ref;
      }
    }
    this.logger.log({ msg: 'speech job completed', ...context, clipId: ref.clipId, durationMs: clip.durationMs });
    return ref;
  }

  /** A failure no retry can fix: fail the job now, keeping it in the failed list for inspection. */
  private giveUp(job: Job<SpeechSynthesisJob>, reason: string): never {
    // Bull types discard() as a promise, but it only sets a flag on the job object.
    void job.discard();
    throw new Error(reason);
  }
}
