import { JobOptions } from 'bull';

/** Queue names, job names and default job options: the one place for them (STYLE 8.2). */
export const SPEECH_SYNTHESIS_QUEUE = 'speech-synthesis';
export const SYNTHESIZE_SPEECH_JOB = 'SYNTHESIZE_SPEECH';

export const SPEECH_SYNTHESIS_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: 1000,
  removeOnFail: false,
};
