import { TtsDriverName } from '../../config/env.validation';

/**
 * A text-to-speech engine that turns text into an AMR-NB clip (the bytes of a `.amr` file).
 * The driver is chosen by TTS_DRIVER; tests may swap it with `.overrideProvider(TtsClient)`.
 * Implementations must give up (and release what they started) within `timeoutMs`.
 */
export abstract class TtsClient {
  abstract readonly driver: TtsDriverName;

  abstract synthesize(text: string, timeoutMs: number): Promise<Buffer>;
}

/** A TTS engine failed, timed out or answered something unusable; the message says which. */
export class TtsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TtsError';
  }
}
