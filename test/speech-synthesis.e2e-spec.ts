import { getQueueToken } from '@nestjs/bull';
import { Module, OnModuleInit, Type } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AMR_NB_MAGIC, checkAmrNb } from '../src/common/audio/amr';
import { computeSign } from '../src/common/signature/sign';
import { QueueMonitorService } from '../src/jobs/queue-monitor/queue-monitor.service';
import { MONITORED_QUEUES, SPEECH_SYNTHESIS_QUEUE } from '../src/jobs/queues';
import {
  SpeechSynthesisFailedError,
  SpeechSynthesisJob,
  VoiceClipRef,
} from '../src/jobs/speech-synthesis/speech-synthesis.job';
import { SpeechSynthesisProducer } from '../src/jobs/speech-synthesis/speech-synthesis.producer';
import { TtsClient } from '../src/jobs/speech-synthesis/tts.client';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { PartnerClient } from './utils/partner-client';
import { TEST_ADMIN_TOKEN } from './utils/test-config';
import { REAL_CLIP, TtsServer } from './utils/tts-server';

const PUBLIC_BASE_URL = 'http://voice.example.test:8080';
const OWNER_KIND = 'test-owner';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function queueOf(t: TestApp): Queue<SpeechSynthesisJob> {
  return t.app.get<Queue<SpeechSynthesisJob>>(getQueueToken(SPEECH_SYNTHESIS_QUEUE));
}

async function clipRows(
  t: TestApp,
): Promise<Array<{ id: string; text: string; driver: string; bytes: Buffer; duration_ms: number }>> {
  return t.dataSource.query('SELECT id, text, driver, bytes, duration_ms FROM voice_clip ORDER BY created_at');
}

async function onlyJob(t: TestApp): Promise<Job<SpeechSynthesisJob>> {
  const jobs = await queueOf(t).getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

/** A stand-in for a feature's table: rows that exist, and the URL writes the processor made. */
class OwnerTable {
  readonly rows = new Set<string>();
  readonly writes: Array<{ id: string; url: string }> = [];

  register(t: TestApp): void {
    this.registerWith(t.app.get(SpeechSynthesisProducer));
  }

  /**
   * A module that registers this table's writer in onModuleInit, as the features do, after `initMs` of
   * other start-up work (a feature whose init reads something first).
   */
  asModule(initMs: number): Type<unknown> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const table = this;
    @Module({})
    class OwnerTableModule implements OnModuleInit {
      constructor(private readonly producer: SpeechSynthesisProducer) {}

      async onModuleInit(): Promise<void> {
        await sleep(initMs);
        table.registerWith(this.producer);
      }
    }
    return OwnerTableModule;
  }

  private registerWith(producer: SpeechSynthesisProducer): void {
    producer.registerOwnerWriter(OWNER_KIND, (id, url) => {
      this.writes.push({ id, url });
      return Promise.resolve(this.rows.has(id));
    });
  }

  reset(): void {
    this.rows.clear();
    this.writes.length = 0;
  }
}

// First, so the Redis client's reconnect timers it leaves behind run out while the other suites run.
describe('speech synthesis queue with its Redis unreachable', () => {
  it('should report the queue down in /health/ready while /metrics still answers', async () => {
    const t = await createTestApp({ REDIS_PORT: '1' });
    try {
      const client = new PartnerClient(t.baseUrl);
      const ready = await client.raw<{ status: string; checks: Record<string, { status: string; error?: string }> }>(
        '/health/ready',
        {
          method: 'GET',
        },
      );
      expect(ready.status).toBe(503);
      expect(ready.body.checks['queue:speech-synthesis']).toMatchObject({ status: 'down' });
      const started = Date.now();
      const metrics = await client.raw<string>('/metrics', { method: 'GET' });
      expect(metrics.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(metrics.text).not.toContain('queue_jobs{queue="speech-synthesis"');
    } finally {
      await t.close();
    }
  });
});

describe('speech synthesis (espeak driver, APP_ROLE=all)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let producer: SpeechSynthesisProducer;
  const owners = new OwnerTable();

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL });
    client = new PartnerClient(t.baseUrl);
    producer = t.app.get(SpeechSynthesisProducer);
    owners.register(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await resetState(t);
    owners.reset();
  });

  const pathOf = (ref: VoiceClipRef): string => new URL(ref.url).pathname;

  it('should synthesise Chinese text into a stored, valid AMR-NB clip with an absolute URL', async () => {
    const ref = await producer.synthesizeNow('群聊频道测试');
    expect(ref.clipId).toMatch(/^[0-9a-f]{32}$/);
    expect(ref.url).toBe(`${PUBLIC_BASE_URL}/media/voice/${ref.clipId}.amr`);
    const rows = await clipRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: ref.clipId, text: '群聊频道测试', driver: 'espeak' });
    const check = checkAmrNb(rows[0].bytes);
    expect(check).toMatchObject({ valid: true });
    expect(rows[0].duration_ms).toBe(check.valid ? check.durationMs : -1);
    expect(rows[0].duration_ms).toBeGreaterThan(500);
  });

  it('should serve the clip as audio/amr with length, ETag and immutable caching, and 304 on a matching ETag', async () => {
    const ref = await producer.synthesizeNow('群聊频道测试');
    const [row] = await clipRows(t);

    const res = await fetch(t.baseUrl + pathOf(ref));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/amr');
    expect(res.headers.get('content-length')).toBe(String(row.bytes.length));
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(body.subarray(0, 6)).toEqual(AMR_NB_MAGIC);
    expect(body.equals(row.bytes)).toBe(true);
    expect(checkAmrNb(body)).toMatchObject({ valid: true });

    for (const header of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await fetch(t.baseUrl + pathOf(ref), { headers: { 'If-None-Match': header } });
      expect(cached.status).toBe(304);
      expect(cached.headers.get('etag')).toBe(etag);
      expect(cached.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await cached.text()).toBe('');
    }
    const stale = await fetch(t.baseUrl + pathOf(ref), { headers: { 'If-None-Match': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(row.bytes)).toBe(true);

    const head = await fetch(t.baseUrl + pathOf(ref), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(row.bytes.length));
  });

  it.each([
    ['an unknown id', `/media/voice/${'0'.repeat(32)}.amr`],
    ['an uppercase id', `/media/voice/${'A'.repeat(32)}.amr`],
    ['a short id', '/media/voice/abc.amr'],
    ['another extension', `/media/voice/${'0'.repeat(32)}.wav`],
    ['no extension', `/media/voice/${'0'.repeat(32)}`],
    ['an encoded path', `/media/voice/..%2F..%2Fetc%2Fpasswd`],
  ])('should answer 404 JSON for %s', async (_what, path) => {
    const res = await client.raw<{ statusCode: number; message: string }>(path, { method: 'GET' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 404, message: 'voice clip not found' });
  });

  it('should reuse the clip of a text synthesised before', async () => {
    const first = await producer.synthesizeNow('群聊频道重复');
    const second = await producer.synthesizeNow('群聊频道重复');
    expect(second).toEqual(first);
    expect(await clipRows(t)).toHaveLength(1);
  });

  it('should give concurrent identical texts one clip without a duplicate-key failure', async () => {
    owners.rows.add('1').add('2').add('3');
    const synthesize = jest.spyOn(t.app.get(TtsClient), 'synthesize');
    const refs = await Promise.all([
      ...Array.from({ length: 5 }, () => producer.synthesizeNow('群聊频道并发')),
      producer.enqueue('群聊频道并发', { kind: OWNER_KIND, id: '1' }),
      producer.enqueue('群聊频道并发', { kind: OWNER_KIND, id: '2' }),
      producer.enqueue('群聊频道并发', { kind: OWNER_KIND, id: '3' }),
    ]);
    const clipIds = new Set(refs.filter((r): r is VoiceClipRef => r !== undefined).map((r) => r.clipId));
    expect(clipIds.size).toBe(1);
    await waitFor('three owner writes', async () => owners.writes.length === 3);
    expect(new Set(owners.writes.map((w) => w.url))).toEqual(
      new Set([`${PUBLIC_BASE_URL}/media/voice/${[...clipIds][0]}.amr`]),
    );
    expect(await clipRows(t)).toHaveLength(1);
    expect(await queueOf(t).getFailedCount()).toBe(0);
    // Several jobs synthesised at once and raced to store the same text: the unique key held.
    expect(synthesize.mock.calls.length).toBeGreaterThan(1);
    synthesize.mockRestore();
  });

  it('should write the clip URL back to the owning row when an enqueued job finishes', async () => {
    owners.rows.add('000000377');
    await producer.enqueue('群聊频道回写', { kind: OWNER_KIND, id: '000000377' });
    await waitFor('the owner write', async () => owners.writes.length > 0);
    const [row] = await clipRows(t);
    expect(owners.writes).toEqual([{ id: '000000377', url: `${PUBLIC_BASE_URL}/media/voice/${row.id}.amr` }]);
    const job = await onlyJob(t);
    await waitFor('the job to complete', async () => (await job.getState()) === 'completed' || undefined);
    const res = await fetch(`${t.baseUrl}/media/voice/${row.id}.amr`);
    expect(res.status).toBe(200);
  });

  it('should complete without error a job whose owning row vanished', async () => {
    await producer.enqueue('群聊频道已删除', { kind: OWNER_KIND, id: 'gone' });
    const job = await waitFor('the job to finish', async () => {
      const [j] = await queueOf(t).getJobs(['completed', 'failed']);
      return j;
    });
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(0);
    expect(owners.writes).toEqual([{ id: 'gone', url: expect.stringMatching(/\/media\/voice\/[0-9a-f]{32}\.amr$/) }]);
    expect((job.returnvalue as VoiceClipRef).url).toBe(owners.writes[0].url);
  });

  it('should fail, without retrying, a job whose owner kind nobody registered', async () => {
    await producer.enqueue('群聊频道无主', { kind: 'no-such-feature', id: '1' });
    const job = await waitFor('the job to fail', async () => (await queueOf(t).getFailed())[0]);
    expect(job.failedReason).toBe('no voice owner writer is registered for kind "no-such-feature"');
    expect(job.attemptsMade).toBe(1);
    expect(await clipRows(t)).toHaveLength(0);
  });

  it('should report the queue in /health/ready and the queue_jobs gauge in /metrics', async () => {
    await producer.enqueue('群聊频道指标', { kind: 'no-such-feature', id: '1' });
    await waitFor('the job to fail', async () => (await queueOf(t).getFailedCount()) === 1);

    const ready = await client.raw<{
      status: string;
      checks: Record<string, { status: string; details?: Record<string, number> }>;
    }>('/health/ready', { method: 'GET' });
    expect(ready.status).toBe(200);
    expect(ready.body.checks['queue:speech-synthesis']).toMatchObject({
      status: 'up',
      details: { waiting: 0, active: 0, delayed: 0, failed: 1 },
    });

    await t.app.get(QueueMonitorService).refreshMetrics();
    const metrics = await client.raw<string>('/metrics', { method: 'GET' });
    expect(metrics.text).toContain('queue_jobs{queue="speech-synthesis",state="failed"} 1');
    expect(metrics.text).toContain('queue_jobs{queue="speech-synthesis",state="waiting"} 0');
  });

  it('should serve the Bull Board at /admin/queues only with the admin token', async () => {
    const anonymous = await client.raw<{ statusCode: number }>('/admin/queues', { method: 'GET' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, message: 'admin token required' });
    const wrong = await client.raw('/admin/queues/api/queues', {
      method: 'GET',
      headers: { Authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);

    const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const page = await client.raw<string>('/admin/queues', { method: 'GET', headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('/admin/queues');
    const api = await client.raw<{ queues: Array<{ name: string }> }>('/admin/queues/api/queues', {
      method: 'GET',
      headers: auth,
    });
    expect(api.status).toBe(200);
    const queues = ['speech-synthesis', 'weibo-post', 'partner-callback', 'webhook-delivery'];
    expect(api.body.queues.map((q) => q.name)).toEqual(queues);
    expect(MONITORED_QUEUES).toEqual(queues);
  });
});

describe('speech synthesis (http driver)', () => {
  const APP_KEY = '2064302565';
  const APP_SECRET = 'B1D0C5F2A0E34C8B9D6E7F8091A2B3C4D5E6F708';
  const TIMEOUT_MS = 1500;
  let t: TestApp;
  let tts: TtsServer;
  let producer: SpeechSynthesisProducer;
  const owners = new OwnerTable();

  beforeAll(async () => {
    tts = await TtsServer.start();
    t = await createTestApp({
      PUBLIC_BASE_URL,
      TTS_DRIVER: 'http',
      TTS_HTTP_URL: tts.url,
      TTS_APP_KEY: APP_KEY,
      TTS_APP_SECRET: APP_SECRET,
      TTS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    producer = t.app.get(SpeechSynthesisProducer);
    owners.register(t);
  });
  afterAll(async () => {
    await t.close();
    await tts.close();
  });
  beforeEach(async () => {
    await resetState(t);
    owners.reset();
    tts.mode = 'ok';
    tts.requests.length = 0;
  });

  it('should post a correctly signed form and store the audio the service returns', async () => {
    const ref = await producer.synthesizeNow('微频道测试 & "引号"');
    expect(tts.requests).toHaveLength(1);
    const [request] = tts.requests;
    expect(request.method).toBe('POST');
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.keys(request.form).sort()).toEqual(['appKey', 'sign', 'text']);
    expect(request.form.appKey).toBe(APP_KEY);
    expect(request.form.text).toBe('微频道测试 & "引号"');
    expect(request.form.sign).toBe(computeSign({ appKey: APP_KEY, text: '微频道测试 & "引号"' }, APP_SECRET));

    const [row] = await clipRows(t);
    expect(row).toMatchObject({ id: ref.clipId, driver: 'http', text: '微频道测试 & "引号"' });
    expect(row.bytes.equals(REAL_CLIP)).toBe(true);
    const served = await fetch(t.baseUrl + new URL(ref.url).pathname);
    expect(Buffer.from(await served.arrayBuffer()).equals(REAL_CLIP)).toBe(true);
  });

  it.each([
    ['a non-zero ERRORCODE', 'error', /TTS service answered ERRORCODE "ME01022"/],
    ['audio that is not AMR-NB', 'garbage', /http driver produced invalid AMR-NB/],
    ['an audio URL that answers 404', 'missing', /audio download answered HTTP 404/],
  ] as const)(
    'should fail synthesizeNow with the typed error on %s, after one attempt, storing nothing',
    async (_what, mode, reason) => {
      tts.mode = mode;
      const failure = producer.synthesizeNow('微频道失败');
      await expect(failure).rejects.toThrow(SpeechSynthesisFailedError);
      await expect(failure).rejects.toThrow(reason);
      expect(tts.requests).toHaveLength(1);
      expect(await clipRows(t)).toHaveLength(0);
    },
  );

  it('should time synthesizeNow out into the typed error when the service never answers, and write nothing later', async () => {
    tts.mode = 'hang';
    const started = Date.now();
    // Whichever notices first, the caller's wait or the job's own deadline, the caller gets the typed error.
    const failure = producer.synthesizeNow('微频道超时');
    await expect(failure).rejects.toThrow(SpeechSynthesisFailedError);
    await expect(failure).rejects.toThrow(/no result within 1500 ms|no answer within \d+ ms/);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(waited).toBeLessThan(TIMEOUT_MS + 1000);

    // The service answers now, too late: the job must not store the clip behind the caller's back.
    tts.mode = 'ok';
    await sleep(1500);
    expect(await clipRows(t)).toHaveLength(0);
    const job = await onlyJob(t);
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toMatch(/no answer within \d+ ms|caller gave up/);
    expect(job.attemptsMade).toBe(1);
    expect(tts.requests).toHaveLength(1);
  });

  it('should retry a failing enqueued job with exponential backoff, then keep it as failed', async () => {
    tts.mode = 'error';
    owners.rows.add('9');
    await producer.enqueue('群聊频道重试', { kind: OWNER_KIND, id: '9' });
    const job = await waitFor('the job to fail for good', async () => (await queueOf(t).getFailed())[0], 15000);
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toMatch(/ERRORCODE "ME01022"/);
    expect(tts.requests).toHaveLength(3);
    const gaps = [tts.requests[1].at - tts.requests[0].at, tts.requests[2].at - tts.requests[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
    expect(owners.writes).toEqual([]);
    expect(await clipRows(t)).toHaveLength(0);
  });

  it('should let a retried job succeed once the service recovers', async () => {
    tts.mode = 'error';
    owners.rows.add('10');
    await producer.enqueue('群聊频道恢复', { kind: OWNER_KIND, id: '10' });
    await waitFor('the first failed attempt', async () => tts.requests.length >= 1);
    tts.mode = 'ok';
    await waitFor('the owner write', async () => owners.writes.length === 1, 10000);
    const job = await onlyJob(t);
    expect(job.attemptsMade).toBeGreaterThanOrEqual(1);
    const [row] = await clipRows(t);
    expect(owners.writes).toEqual([{ id: '10', url: `${PUBLIC_BASE_URL}/media/voice/${row.id}.amr` }]);
  });
});

describe('speech synthesis by APP_ROLE', () => {
  const owners = new OwnerTable();
  let api: TestApp | undefined;
  let worker: TestApp | undefined;

  afterEach(async () => {
    await api?.close();
    await worker?.close();
    api = worker = undefined;
  });

  it('should leave jobs waiting in an api process and run them in a worker process', async () => {
    api = await createTestApp({ APP_ROLE: 'api', PUBLIC_BASE_URL, TTS_TIMEOUT_MS: '600' });
    await resetState(api);
    const apiProducer = api.app.get(SpeechSynthesisProducer);

    // Nobody runs jobs yet: the waiting caller times out and its job is withdrawn.
    await expect(apiProducer.synthesizeNow('微频道无人处理')).rejects.toThrow(SpeechSynthesisFailedError);
    await sleep(200);
    expect(await queueOf(api).getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });

    await apiProducer.enqueue('群聊频道角色', { kind: OWNER_KIND, id: '5' });
    await sleep(1500);
    const job = await onlyJob(api);
    expect(await job.getState()).toBe('waiting');
    expect(await clipRows(api)).toHaveLength(0);

    // The job is waiting when the worker starts, and Nest starts Bull's processors before the feature
    // modules' onModuleInit: the worker takes the job while its writer is still being registered.
    owners.rows.add('5');
    worker = await createTestApp({ APP_ROLE: 'worker', PUBLIC_BASE_URL }, undefined, [owners.asModule(500)]);
    await waitFor('the worker to write the URL', async () => owners.writes.length === 1);
    const rows = await clipRows(api);
    expect(rows.map((r) => r.text)).toEqual(['群聊频道角色']);
    expect(owners.writes).toEqual([{ id: '5', url: `${PUBLIC_BASE_URL}/media/voice/${rows[0].id}.amr` }]);
    await waitFor('the job to complete', async () => (await job.getState()) === 'completed');
  });

  it('should hide the Bull Board (404) when ADMIN_TOKEN is unset', async () => {
    api = await createTestApp({ APP_ROLE: 'api', ADMIN_TOKEN: '' });
    const res = await new PartnerClient(api.baseUrl).raw<{ statusCode: number }>('/admin/queues', {
      method: 'GET',
      headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
  });
});
