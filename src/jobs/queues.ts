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

/** synthesizeNow: the caller is waiting, so one attempt; a retry would land after the caller gave up. */
export const SPEECH_SYNTHESIS_NOW_JOB_OPTIONS: JobOptions = {
  ...SPEECH_SYNTHESIS_JOB_OPTIONS,
  attempts: 1,
};

/** How many speech jobs one worker process runs at once (each is an espeak-ng + sox pair or one HTTP call). */
export const SPEECH_SYNTHESIS_CONCURRENCY = 4;

/**
 * Queues shown on the Bull Board (/admin/queues), in /health/ready and in the queue_jobs gauge.
 * A queue registered by any module becomes visible by adding its name here.
 */
export const MONITORED_QUEUES: readonly string[] = [SPEECH_SYNTHESIS_QUEUE];
