import { PartnerCallbackProducer } from '../src/jobs/partner-callback/partner-callback.producer';
import { SpeechSynthesisProducer } from '../src/jobs/speech-synthesis/speech-synthesis.producer';
import { StuckJobSweeperService } from '../src/jobs/stuck-jobs/stuck-job-sweeper.service';
import { WeiboPostProducer } from '../src/jobs/weibo-post/weibo-post.producer';
import { createTestApp, TestApp } from './utils/create-test-app';
import { SecretWorld } from './utils/secret-channel-world';

/**
 * Issue 14 part 6, nothing stuck: rows whose queue job Redis lost (FLUSHDB of this test's own Redis db) are
 * found by the sweep and given a job again, or marked failed when too old to be worth posting.
 */
describe('stuck-job sweep (e2e)', () => {
  const SECRET_KIND = 'secret-channel';

  async function insertInvitation(
    t: TestApp,
    fields: { batch: string; createdSecondsAgo: number; delivery: string; callback: string },
  ): Promise<string> {
    const result = await t.dataSource.query<{ insertId: number }>(
      `INSERT INTO invitation (batch_id, app_key, sender_account_id, receiver_account_id, temp_channel_id,
         multimedia_url, callback_url, delivery_state, callback_state, accepted_at, created_at, updated_at)
       VALUES (?, '1234567890', 'sendersend', 'receiverrr', '12345', 'http://media.example/a.amr',
         'http://partner.example/cb', ?, ?, ?, NOW(3) - INTERVAL ? SECOND, NOW(3) - INTERVAL 5 SECOND)`,
      [
        fields.batch.padEnd(32, '0'),
        fields.delivery,
        fields.callback,
        fields.callback === 'none' ? null : new Date(),
        fields.createdSecondsAgo,
      ],
    );
    return String(result.insertId);
  }

  async function voiceUrls(w: SecretWorld, numbers: string[]): Promise<string[]> {
    return Promise.all(numbers.map(async (n) => (await w.channelRow(n)).voice_url));
  }

  it('should queue lost jobs again, fail stale invitations, never double a job, and let one worker sweep at a time', async () => {
    // An api process: it queues jobs but runs none, so they sit in Redis until "lost".
    const api = await createTestApp({ APP_ROLE: 'api', STUCK_JOB_GRACE_SECONDS: '1', INVITE_INTERVAL_SECONDS: '600' });
    const w = new SecretWorld(api);
    let numbers: string[];
    try {
      await w.reset();
      const owner = await w.account();
      numbers = [
        (await w.apply(owner, { channelName: '丢失的声音' })).channelNumber,
        (await w.apply(owner, { channelName: '另一个频道' })).channelNumber,
      ];
      const speech = api.app.get(SpeechSynthesisProducer);
      expect(await speech.hasOwnerJob({ kind: SECRET_KIND, id: numbers[0] })).toBe(true);

      const recent = await insertInvitation(api, {
        batch: 'a',
        createdSecondsAgo: 10,
        delivery: 'queued',
        callback: 'none',
      });
      const stale = await insertInvitation(api, {
        batch: 'b',
        createdSecondsAgo: 7200,
        delivery: 'queued',
        callback: 'none',
      });
      const accepted = await insertInvitation(api, {
        batch: 'c',
        createdSecondsAgo: 30,
        delivery: 'sent',
        callback: 'queued',
      });
      const healthy = await insertInvitation(api, {
        batch: 'd',
        createdSecondsAgo: 10,
        delivery: 'queued',
        callback: 'none',
      });

      // Redis loses everything (this test's own db only), then one job is queued again normally.
      await api.redis.client.flushdb();
      const weibo = api.app.get(WeiboPostProducer);
      const callbacks = api.app.get(PartnerCallbackProducer);
      await weibo.enqueue([healthy]);
      expect(await weibo.hasJob(recent)).toBe(false);
      expect(await speech.hasOwnerJob({ kind: SECRET_KIND, id: numbers[0] })).toBe(false);

      const sweeper = api.app.get(StuckJobSweeperService);
      // Two workers sweeping at once: the lock lets one of them do it.
      const later = new Date(Date.now() + 2000);
      const [first, second] = await Promise.all([sweeper.sweep(later), sweeper.sweep(later)]);
      expect([first.ran, second.ran].sort()).toEqual([false, true]);
      const report = first.ran ? first : second;
      expect(report).toEqual({ ran: true, weiboRequeued: 1, weiboFailed: 1, callbacksRequeued: 1, voicesRequeued: 2 });

      expect(await weibo.hasJob(recent)).toBe(true);
      expect(await weibo.hasJob(stale)).toBe(false);
      expect(await callbacks.hasJob(accepted)).toBe(true);
      for (const id of numbers) {
        expect(await speech.hasOwnerJob({ kind: SECRET_KIND, id })).toBe(true);
      }
      const rows = await w.query<{ id: string; delivery_state: string; delivery_error: string | null }>(
        'SELECT id, delivery_state, delivery_error FROM invitation ORDER BY id',
      );
      expect(rows.map((r) => [String(r.id), r.delivery_state])).toEqual([
        [recent, 'queued'],
        [stale, 'failed'],
        [accepted, 'sent'],
        [healthy, 'queued'],
      ]);
      expect(rows[1].delivery_error).toMatch(/job lost/);

      // Nothing is doubled: a second sweep finds every job in place.
      expect(await sweeper.sweep(new Date(Date.now() + 2000))).toEqual({
        ran: true,
        weiboRequeued: 0,
        weiboFailed: 0,
        callbacksRequeued: 0,
        voicesRequeued: 0,
      });
      expect(await voiceUrls(w, numbers)).toEqual(['', '']);
    } finally {
      await api.close();
    }

    // A worker comes up and runs the re-queued speech jobs: the channels get their spoken names.
    const worker = await createTestApp({ STUCK_JOB_GRACE_SECONDS: '1' });
    try {
      const ww = new SecretWorld(worker);
      const until = Date.now() + 20_000;
      let urls = await voiceUrls(ww, numbers);
      while (urls.some((u) => u === '') && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        urls = await voiceUrls(ww, numbers);
      }
      for (const url of urls) {
        expect(url).toMatch(/\/media\/voice\/.+\.amr$/);
      }
    } finally {
      await worker.close();
    }
  }, 60_000);
});
