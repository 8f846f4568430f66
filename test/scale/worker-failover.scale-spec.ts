import { PartnerClient } from '../utils/partner-client';
import { Fixtures, TestPartnerApp } from '../utils/fixtures';
import { applyParams } from '../utils/secret-channel-world';
import { TtsServer } from '../utils/tts-server';
import { report, waitFor } from '../utils/child-process';
import { ServiceProcess } from '../utils/service-process';
import { emptyDatabaseAndRedis, sql } from './support/shared-state';

const API_PORT = 17605;
const WORKER_PORTS = [17606, 17607];

/**
 * API.md 13, "each job done once": a worker that dies in the middle of a job does not lose it (another worker
 * takes it up once Bull's lock on it runs out) and its effect is not repeated. The remote TTS stand-in never
 * answers the first worker, which is then killed; the second worker finishes the job.
 */
describe('a worker dying mid-job (scale)', () => {
  let tts: TtsServer;
  let api: ServiceProcess;
  const workers: ServiceProcess[] = [];
  let client: PartnerClient;
  let partner: TestPartnerApp;
  const env = (): Record<string, string> => ({
    TTS_DRIVER: 'http',
    TTS_HTTP_URL: tts.url,
    TTS_APP_KEY: '2064302565',
    TTS_APP_SECRET: 'B1D0C5F2A0E34C8B9D6E7F8091A2B3C4D5E6F708',
    // Longer than the test: the first worker must still be waiting on the TTS when it is killed.
    TTS_TIMEOUT_MS: '120000',
  });

  beforeAll(async () => {
    tts = await TtsServer.start();
    tts.mode = 'hang';
    await emptyDatabaseAndRedis();
    [api] = await Promise.all([
      ServiceProcess.start('api', API_PORT, { ...env(), APP_ROLE: 'api' }),
      ServiceProcess.start('worker-1', WORKER_PORTS[0], { ...env(), APP_ROLE: 'worker' }).then((w) => workers.push(w)),
    ]);
    client = new PartnerClient(api.baseUrl);
    const fixtures = new Fixtures(client);
    partner = await fixtures.app();
    await fixtures.catalog('200001', 2, '交通');
  }, 120000);

  afterAll(async () => {
    await Promise.all([api, ...workers].filter(Boolean).map((p) => p.stop()));
    await tts?.close();
  });

  it('should have another worker finish the job of a killed one, with its effect written once', async () => {
    const owner = await new Fixtures(client).account(partner);
    const applied = await client.post(
      'applySecretChannel',
      { appKey: partner.appKey, accountID: owner.accountID, accessToken: owner.accessToken, ...applyParams() },
      { secret: partner.secret },
    );
    expect(applied.body.ERRORCODE).toBe('0');
    const { channelNumber } = applied.body.RESULT as { channelNumber: string };
    await waitFor('the first worker called the TTS', () => tts.requests.length === 1);
    await workers[0].process.kill();
    tts.mode = 'ok';
    const killedAt = Date.now();
    workers.push(await ServiceProcess.start('worker-2', WORKER_PORTS[1], { ...env(), APP_ROLE: 'worker' }));

    await waitFor(
      'the second worker wrote the spoken name',
      async () => {
        const [row] = await sql<{ voice_url: string }>(
          'SELECT voice_url FROM secret_channel WHERE channel_number = ?',
          [channelNumber],
        );
        return row.voice_url !== '';
      },
      // Bull moves a job back only at the second stalled-job check (every 30 s) after its 30 s lock ran out.
      150000,
    );
    report('stalled job finished by the other worker after (ms)', Date.now() - killedAt);
    expect(tts.requests).toHaveLength(2);
    const [{ clips }] = await sql<{ clips: number }>('SELECT COUNT(*) AS clips FROM voice_clip');
    expect(Number(clips)).toBe(1);
    const [{ voiceAudits }] = await sql<{ voiceAudits: number }>(
      "SELECT COUNT(*) AS voiceAudits FROM audit_log WHERE action = 'secret-channel.voice'",
    );
    expect(Number(voiceAudits)).toBe(1);
    expect(
      await workers[1].metric('queue_jobs_processed_total', { queue: 'speech-synthesis', outcome: 'completed' }),
    ).toBe(1);
    expect(await api.metric('queue_jobs_processed_total')).toBe(0);
  }, 200000);
});
