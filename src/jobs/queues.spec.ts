import { loadConfig } from '../config/configuration';
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

describe('invitation queue configuration', () => {
  it('should read the retry overrides, and leave empty ones to the queue defaults', () => {
    const config = loadConfig({
      WEIBO_POST_ATTEMPTS: '3',
      WEIBO_POST_BACKOFF_MS: '',
      PARTNER_CALLBACK_ATTEMPTS: '',
      PARTNER_CALLBACK_BACKOFF_MS: '250',
    });
    expect(config.inviteJobs).toEqual({
      weiboPost: { attempts: 3, backoffMs: undefined },
      partnerCallback: { attempts: undefined, backoffMs: 250 },
    });
  });

  it.each([
    ['WEIBO_POST_ATTEMPTS', '0'],
    ['WEIBO_POST_BACKOFF_MS', 'soon'],
    ['PARTNER_CALLBACK_ATTEMPTS', '51'],
    ['PARTNER_CALLBACK_BACKOFF_MS', '5'],
  ])('should stop at start on %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}=`));
  });
});
