import { createHash } from 'node:crypto';
import {
  SpeechSynthesisFailedError,
  VoiceClipRef,
  VoiceOwner,
  VoiceOwnerWriter,
} from '../../src/jobs/speech-synthesis/speech-synthesis.job';
import { SpeechSynthesisProducer } from '../../src/jobs/speech-synthesis/speech-synthesis.producer';

type ProducerApi = Pick<SpeechSynthesisProducer, 'enqueue' | 'synthesizeNow' | 'registerOwnerWriter'>;

/**
 * The in-memory SpeechSynthesisProducer for feature unit specs (STYLE 8.3 habit 8):
 * `{ provide: SpeechSynthesisProducer, useValue: new FakeSpeechSynthesisProducer() }`.
 * It records what features ask for; `drain()` plays the processor's part for enqueued jobs.
 * E2E tests use the real producer (and the http driver against a TtsServer to make synthesis fail).
 */
export class FakeSpeechSynthesisProducer implements ProducerApi {
  readonly enqueued: Array<{ text: string; owner: VoiceOwner }> = [];
  readonly synthesized: string[] = [];
  readonly writers = new Map<string, VoiceOwnerWriter>();
  /** When set, synthesizeNow fails with this reason (the feature should answer ME18307). */
  failWith?: string;

  constructor(readonly baseUrl = 'http://localhost:3000') {}

  registerOwnerWriter(kind: string, writer: VoiceOwnerWriter): void {
    this.writers.set(kind, writer);
  }

  enqueue(text: string, owner: VoiceOwner): Promise<void> {
    this.enqueued.push({ text, owner });
    return Promise.resolve();
  }

  synthesizeNow(text: string): Promise<VoiceClipRef> {
    this.synthesized.push(text);
    if (this.failWith !== undefined) {
      return Promise.reject(new SpeechSynthesisFailedError(this.failWith));
    }
    return Promise.resolve(this.refFor(text));
  }

  /** The clip a text gets: stable per text, like the real de-duplicated store. */
  refFor(text: string): VoiceClipRef {
    const clipId = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
    return { clipId, url: `${this.baseUrl}/media/voice/${clipId}.amr` };
  }

  /** Finishes every enqueued job through its owner's writer; answers what each writer returned. */
  async drain(): Promise<boolean[]> {
    const jobs = this.enqueued.splice(0);
    const results: boolean[] = [];
    for (const { text, owner } of jobs) {
      const writer = this.writers.get(owner.kind);
      if (!writer) {
        throw new Error(`no voice owner writer is registered for kind ${JSON.stringify(owner.kind)}`);
      }
      results.push(await writer(owner.id, this.refFor(text).url));
    }
    return results;
  }
}
