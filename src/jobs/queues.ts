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
 * Weibo posting of invitations (API.md 5.5). Failures retry with exponential backoff (1, 3, 7, 15 s);
 * after the last attempt the invitation is marked failed. WEIBO_POST_ATTEMPTS / WEIBO_POST_BACKOFF_MS
 * override attempts and the base delay.
 */
export const WEIBO_POST_QUEUE = 'weibo-post';
export const POST_WEIBO_JOB = 'POST_WEIBO';

export const WEIBO_POST_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/**
 * Signed callbacks to the inviting partner when an invitation is accepted. Partners may be down for a
 * while, so retries spread over about eight minutes (2, 6, 14, 30, 62, 126, 254 s).
 * PARTNER_CALLBACK_ATTEMPTS / PARTNER_CALLBACK_BACKOFF_MS override attempts and the base delay.
 */
export const PARTNER_CALLBACK_QUEUE = 'partner-callback';
export const SEND_PARTNER_CALLBACK_JOB = 'SEND_PARTNER_CALLBACK';

export const PARTNER_CALLBACK_JOB_OPTIONS: JobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/**
 * Partner-event webhooks (API.md 12). A job delivers the due head of one lane (app, channel); attempts,
 * backoff and ordering live in the webhook_delivery rows, not in Bull, so a job itself is tried once and
 * the outbox relay queues the lane again whenever it has something due.
 */
export const WEBHOOK_DELIVERY_QUEUE = 'webhook-delivery';
export const DELIVER_WEBHOOK_LANE_JOB = 'DELIVER_WEBHOOK_LANE';

export const WEBHOOK_DELIVERY_JOB_OPTIONS: JobOptions = {
  attempts: 1,
  removeOnComplete: true,
  removeOnFail: 1000,
};

/** Lanes one worker process delivers at once. */
export const WEBHOOK_DELIVERY_CONCURRENCY = 8;

/** Overrides of a queue's retry policy from configuration. */
export interface RetryOverride {
  attempts?: number;
  backoffMs?: number;
}

/** The queue's default options with the configured attempts and base backoff delay applied. */
export function withRetry(options: JobOptions, override: RetryOverride): JobOptions {
  const backoff = typeof options.backoff === 'object' ? options.backoff : { type: 'exponential' };
  return {
    ...options,
    attempts: override.attempts ?? options.attempts,
    backoff: override.backoffMs === undefined ? options.backoff : { ...backoff, delay: override.backoffMs },
  };
}

/**
 * Queues shown on the Bull Board (/admin/queues), in /health/ready and in the queue_jobs gauge.
 * A queue registered by any module becomes visible by adding its name here.
 */
export const MONITORED_QUEUES: readonly string[] = [
  SPEECH_SYNTHESIS_QUEUE,
  WEIBO_POST_QUEUE,
  PARTNER_CALLBACK_QUEUE,
  WEBHOOK_DELIVERY_QUEUE,
];
