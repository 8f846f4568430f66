import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { SPEECH_SYNTHESIS_QUEUE } from '../src/jobs/queues';
import { TestAccount } from './utils/fixtures';
import { applyParams, SecretWorld } from './utils/secret-channel-world';
import { TtsServer } from './utils/tts-server';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('secret channel spoken name through the real speech-synthesis queue (e2e)', () => {
  describe('with the default espeak driver', () => {
    let w: SecretWorld;
    let owner: TestAccount;

    beforeAll(async () => {
      w = await SecretWorld.start();
    });
    afterAll(() => w.close());
    beforeEach(async () => {
      await w.reset();
      owner = await w.account();
    });

    it('should fill in the voice URL once the job is done, and serve the clip there', async () => {
      const { channelNumber } = await w.apply(owner, { channelName: '早高峰' });
      const voiceURL = await waitFor(
        'the voice URL',
        async () => (await w.info(owner, channelNumber)).voiceURL || undefined,
      );
      expect(voiceURL).toMatch(/^https?:\/\/[^/]+\/media\/voice\/[^/]+\.amr$/);
      const clip = await fetch(w.t.baseUrl + new URL(voiceURL).pathname);
      expect(clip.status).toBe(200);
      expect(clip.headers.get('content-type')).toContain('audio/amr');
      expect(
        Buffer.from(await clip.arrayBuffer())
          .subarray(0, 6)
          .toString('latin1'),
      ).toBe('#!AMR\n');
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.voice'",
      );
      expect(audit).toMatchObject({ actor_account_id: null, entity_id: channelNumber });
    });
  });

  describe('with a remote TTS service', () => {
    let w: SecretWorld;
    let tts: TtsServer;
    let owner: TestAccount;

    beforeAll(async () => {
      tts = await TtsServer.start();
      w = await SecretWorld.start({
        TTS_DRIVER: 'http',
        TTS_HTTP_URL: tts.url,
        TTS_APP_KEY: '1234567890',
        TTS_APP_SECRET: 'TTSSECRET',
      });
    });
    afterAll(async () => {
      await w.close();
      await tts.close();
    });
    beforeEach(async () => {
      await w.reset();
      owner = await w.account();
      tts.mode = 'ok';
      tts.requests.length = 0;
    });

    it('should ask the TTS service to speak 群聊频道 + the channel name', async () => {
      const { channelNumber } = await w.apply(owner, { channelName: '晚高峰' });
      await waitFor('the voice URL', async () => (await w.info(owner, channelNumber)).voiceURL || undefined);
      expect(tts.requests.map((r) => r.form.text)).toEqual(['群聊频道晚高峰']);
    });

    it('should answer the apply and leave the voice URL empty when the TTS service fails', async () => {
      tts.mode = 'error';
      const res = await w.call('applySecretChannel', owner, applyParams());
      expect(res.body.ERRORCODE).toBe('0');
      const { channelNumber } = res.body.RESULT as { channelNumber: string };
      const queue = w.t.app.get<Queue>(getQueueToken(SPEECH_SYNTHESIS_QUEUE));
      await waitFor('the job to fail for good', async () => (await queue.getFailedCount()) === 1, 15000);
      expect((await w.channelRow(channelNumber)).voice_url).toBe('');
      expect((await w.info(owner, channelNumber)).voiceURL).toBe('');
    });
  });
});
