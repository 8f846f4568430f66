/** Whose voice URL a finished clip is written back to (a row of a feature's table). */
export interface VoiceOwner {
  /** Registered by the owning feature, e.g. 'secret-channel', 'micro-channel'. */
  kind: string;
  id: string;
}

export interface SpeechSynthesisJob {
  text: string;
  /** Absent for synthesizeNow: the caller waits for the result instead. */
  owner?: VoiceOwner;
  /**
   * synthesizeNow only: epoch ms after which the waiting caller has given up. The processor then
   * stores nothing, so a late job cannot change state behind a caller that already answered.
   */
  notAfter?: number;
}

export interface VoiceClipRef {
  clipId: string;
  /** Absolute URL (PUBLIC_BASE_URL + /media/voice/<id>.amr). */
  url: string;
}

/** Stable job id of an owner's clip: the stuck-job sweep can tell whether Redis still holds it. */
export function voiceJobId(owner: VoiceOwner): string {
  return `voice-${owner.kind}-${owner.id}`;
}

/** Rows of a kind that have no voice URL yet, created before `createdBefore`, with the text to speak. */
export type VoiceOwnerPendingLister = (
  createdBefore: Date,
  limit: number,
) => Promise<Array<{ id: string; text: string }>>;

/**
 * Writes a finished clip's URL to the owning row. Returns false when the row no longer exists
 * (the job then completes without error).
 */
export type VoiceOwnerWriter = (ownerId: string, url: string) => Promise<boolean>;

/** Speech synthesis failed or did not finish within TTS_TIMEOUT_MS; features answer ME18307. */
export class SpeechSynthesisFailedError extends Error {
  constructor(reason: string) {
    super(`speech synthesis failed: ${reason}`);
    this.name = 'SpeechSynthesisFailedError';
  }
}
