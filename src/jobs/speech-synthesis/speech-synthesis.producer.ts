import { Injectable, Logger } from '@nestjs/common';
import { SpeechSynthesisFailedError, VoiceClipRef, VoiceOwner, VoiceOwnerWriter } from './speech-synthesis.job';

/**
 * Temporary stand-in so feat/secret compiles before feat/tts lands: same API as the real producer,
 * but it queues nothing (voice URLs stay empty) and synthesizeNow always fails. Replaced by feat/tts.
 */
@Injectable()
export class SpeechSynthesisProducer {
  private readonly logger = new Logger(SpeechSynthesisProducer.name);
  private readonly writers = new Map<string, VoiceOwnerWriter>();

  async enqueue(text: string, owner: VoiceOwner): Promise<void> {
    this.logger.debug({ msg: 'speech synthesis not available on this branch', owner, chars: text.length });
    await Promise.resolve();
  }

  async synthesizeNow(text: string): Promise<VoiceClipRef> {
    await Promise.resolve();
    throw new SpeechSynthesisFailedError(`no synthesiser on this branch (${text.length} chars)`);
  }

  registerOwnerWriter(kind: string, writer: VoiceOwnerWriter): void {
    this.writers.set(kind, writer);
  }
}
