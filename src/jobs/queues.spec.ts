import { PARTNER_CALLBACK_JOB_OPTIONS, WEIBO_POST_JOB_OPTIONS, withRetry } from './queues';

describe('withRetry', () => {
  it('should keep the queue defaults when nothing is configured', () => {
    expect(withRetry(WEIBO_POST_JOB_OPTIONS, {})).toEqual(WEIBO_POST_JOB_OPTIONS);
  });

  it('should apply configured attempts and base delay and keep exponential backoff', () => {
    expect(withRetry(PARTNER_CALLBACK_JOB_OPTIONS, { attempts: 3, backoffMs: 100 })).toEqual({
      ...PARTNER_CALLBACK_JOB_OPTIONS,
      attempts: 3,
      backoff: { type: 'exponential', delay: 100 },
    });
  });

  it('should state explicit retry policies for both invitation queues', () => {
    for (const options of [WEIBO_POST_JOB_OPTIONS, PARTNER_CALLBACK_JOB_OPTIONS]) {
      expect(options.attempts).toBeGreaterThan(1);
      expect(options.backoff).toMatchObject({ type: 'exponential' });
      expect(options.removeOnComplete).toBeDefined();
    }
  });
});
