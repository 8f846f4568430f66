import { Injectable } from '@nestjs/common';
import { SpeechSynthesisFailedError, VoiceClipRef } from './speech-synthesis.job';

/**
 * Temporary stand-in so this branch compiles before feat/tts is merged: it has the real API and
 * always fails. Replaced by the real producer from feat/tts.
 */
@Injectable()
export class SpeechSynthesisProducer {
  // eslint-disable-next-line @typescript-eslint/require-await
  async synthesizeNow(text: string): Promise<VoiceClipRef> {
    throw new SpeechSynthesisFailedError(`speech synthesis is not available yet (${text.length} characters)`);
  }
}
