import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONITORED_QUEUES } from '../../src/jobs/queues';
import { eventually, FakeHttpServer, FakeReply, sleep } from '../utils/fake-http-server';
import { Fixtures, TestAccount, TestPartnerApp } from '../utils/fixtures';
import { Envelope, HttpAnswer, PartnerClient } from '../utils/partner-client';
import { applyParams } from '../utils/secret-channel-world';
import { ServiceProcess } from '../utils/service-process';
import { emptyDatabaseAndRedis, sql } from './support/shared-state';

const API_PORTS = [17601, 17602];
const WORKER_PORT = 17603;
const REFUSED_PORT = 17604;
// One owner's applies queue on its account row lock, so a deep queue per owner would run into the 5 s
// answer deadline on a loaded machine; many owners with a small limit race just as hard across processes.
const OWNERS = 12;
const APPLIES_PER_OWNER = 6;
const MAX_CHANNELS = 3;
const JOINERS = 12;
const QUITTERS = 5;
const RECIPIENTS = 8;
const AMR = readFileSync(join(__dirname, '..', 'fixtures', 'nihao.amr'));

const json = (body: unknown): FakeReply => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * API.md 13 across processes: the built service runs as two APP_ROLE=api processes and one APP_ROLE=worker
 * process on one MySQL database and one Redis, and every guarantee that involves concurrency is driven
 * through both api processes at once.
 */
describe('many processes, one truth (scale)', () => {
  let weibo: FakeHttpServer;
  let media: FakeHttpServer;
  let apis: ServiceProcess[] = [];
  let worker: ServiceProcess;
  let clients: PartnerClient[];
  let fixtures: Fixtures;
  let partner: TestPartnerApp;
  let bizSeq = 0;
  /** Channels created by the apply storm (every one of them queues a speech job). */
  const created: Array<{ channelNumber: string; uniqueCode: string }> = [];

  /** A signed partner call through api process `i % 2`. */
  function call(i: number, route: string, who: TestAccount | null, params: Record<string, string> = {}) {
    const base: Record<string, string> = { appKey: partner.appKey };
    if (who) {
      base.accountID = who.accountID;
      base.accessToken = who.accessToken;
    }
    return clients[i % 2].post(route, { ...base, ...params }, { secret: partner.secret });
  }

  beforeAll(async () => {
    weibo = await FakeHttpServer.start(() => json({ ERRORCODE: '0', RESULT: { bizid: `biz-${++bizSeq}` } }));
    media = await FakeHttpServer.start(() => ({ headers: { 'Content-Type': 'audio/amr' }, body: AMR }));
    await emptyDatabaseAndRedis();
    const env = {
      WEIBO_API_URL: weibo.baseUrl,
      WEIBO_APP_KEY: '5555555555',
      WEIBO_APP_SECRET: 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12',
      OUTBOUND_ALLOW_PRIVATE: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      MAX_CHANNELS_PER_USER: String(MAX_CHANNELS),
      APP_RATE_LIMIT_PER_SECOND: '100000',
    };
    // Started together, as an orchestrator would: the migration lock lets one of them migrate at a time.
    [worker, ...apis] = await Promise.all([
      ServiceProcess.start('worker', WORKER_PORT, { ...env, APP_ROLE: 'worker' }),
      ServiceProcess.start('api-1', API_PORTS[0], { ...env, APP_ROLE: 'api', REDIS_SENTINAL_NAME: 'a-typo' }),
      ServiceProcess.start('api-2', API_PORTS[1], { ...env, APP_ROLE: 'api' }),
    ]);
    clients = apis.map((a) => new PartnerClient(a.baseUrl));
    fixtures = new Fixtures(clients[0]);
    partner = await fixtures.app();
    const catalog = await clients[1].admin('POST', '/admin/catalogs', {
      catalogID: '200001',
      name: '交通',
      catalogType: 2,
    });
    expect(catalog.status).toBe(201);
  }, 180000);

  afterAll(async () => {
    await Promise.all([...apis, worker].filter(Boolean).map((p) => p.stop()));
    await Promise.all([weibo?.close(), media?.close()]);
  });

  it('should hold the per-owner limit exactly and give unique numbers to applies spread over both api processes', async () => {
    const owners = await Promise.all(Array.from({ length: OWNERS }, () => fixtures.account(partner)));
    const answers = await Promise.all(
      owners.flatMap((owner, o) =>
        Array.from({ length: APPLIES_PER_OWNER }, (_, i) =>
          call(o + i, 'applySecretChannel', owner, applyParams({ channelName: `多进程${o}-${i}` })).then((a) => ({
            owner: owner.accountID,
            answer: a,
          })),
        ),
      ),
    );
    // The guarantee is exact; only a machine past its capacity may refuse work, and a refused request
    // changed nothing (API.md part two), so it must not count as a channel.
    const overload = ['ME01022', 'ME01028'];
    for (const owner of owners) {
      const codes = answers.filter((a) => a.owner === owner.accountID).map((a) => a.answer.body.ERRORCODE);
      const made = codes.filter((c) => c === '0').length;
      expect(made).toBeLessThanOrEqual(MAX_CHANNELS);
      // A limit refusal means the owner had MAX_CHANNELS committed channels at that moment.
      expect(codes.includes('ME18106') ? made : MAX_CHANNELS).toBe(MAX_CHANNELS);
      expect(codes.filter((c) => c !== '0' && c !== 'ME18106' && !overload.includes(c))).toEqual([]);
    }
    for (const { answer } of answers) {
      if (answer.body.ERRORCODE === '0') {
        created.push(answer.body.RESULT as { channelNumber: string; uniqueCode: string });
      }
    }
    const refusedForLoad = answers.filter((a) => overload.includes(a.answer.body.ERRORCODE)).length;
    expect(refusedForLoad).toBeLessThan(answers.length / 4);
    expect(new Set(created.map((c) => c.channelNumber)).size).toBe(created.length);
    const madePerOwner = owners.map(
      (o) => answers.filter((a) => a.owner === o.accountID && a.answer.body.ERRORCODE === '0').length,
    );
    const perOwner = await sql<{ owner: string; n: number }>(
      'SELECT owner_account_id AS owner, COUNT(*) AS n FROM secret_channel GROUP BY owner_account_id',
    );
    const inDatabase = new Map(perOwner.map((r) => [r.owner, Number(r.n)]));
    expect(owners.map((o) => inDatabase.get(o.accountID) ?? 0)).toEqual(madePerOwner);
  });

  it('should keep member counts exact when joins and quits of the same accounts race on both api processes', async () => {
    const [{ channelNumber, uniqueCode }] = created;
    const joiners = await Promise.all(Array.from({ length: JOINERS }, () => fixtures.account(partner)));
    // Every joiner joins through both processes at the same moment: exactly one of the two may win.
    const joins = await Promise.all(
      joiners.flatMap((j) => [0, 1].map((i) => call(i, 'joinSecretChannel', j, { uniqueCode }))),
    );
    // Two joins of one account never both win; the loser is ME18309 (or, past capacity, refused unchanged).
    const overload = ['ME01022', 'ME01028'];
    const joined = joiners.filter((_, j) => {
      const pair = [joins[2 * j], joins[2 * j + 1]].map((a) => a.body.ERRORCODE).sort();
      expect(pair.filter((c) => c === '0').length).toBeLessThanOrEqual(1);
      expect(pair.every((c) => ['0', 'ME18309', ...overload].includes(c))).toBe(true);
      return pair.includes('0');
    });
    expect(joined.length).toBeGreaterThan(JOINERS / 2);
    const quitters = joined.slice(0, QUITTERS);
    const quits = await Promise.all(
      quitters.flatMap((j) => [0, 1].map((i) => call(i, 'quitSecretChannel', j, { channelNumber }))),
    );
    const quitted = quitters.filter((_, q) => {
      const pair = [quits[2 * q], quits[2 * q + 1]].map((a) => a.body.ERRORCODE).sort();
      expect(pair.filter((c) => c === '0').length).toBeLessThanOrEqual(1);
      expect(pair.every((c) => ['0', 'ME18312', ...overload].includes(c))).toBe(true);
      return pair.includes('0');
    });
    const stayer = joined[joined.length - 1];
    const expected = 1 + joined.length - quitted.length;
    for (const i of [0, 1]) {
      const info = await call(i, 'getSecretChannelInfo', stayer, { channelNumber });
      expect(info.body.RESULT.memberCount).toBe(String(expected));
    }
    const [{ active }] = await sql<{ active: number }>(
      'SELECT COUNT(*) AS active FROM secret_channel_member m JOIN secret_channel c ON c.id = m.channel_id WHERE c.channel_number = ? AND m.active = 1',
      [channelNumber],
    );
    expect(Number(active)).toBe(expected);
  });

  it('should post exactly one Weibo message per recipient when two api processes get the same invitation', async () => {
    const sender = await fixtures.account(partner);
    const recipients = await Promise.all(Array.from({ length: RECIPIENTS }, () => fixtures.account(partner)));
    const tempChannelID = '7654321';
    expect(
      (await clients[0].admin('PUT', `/admin/presence/${sender.accountID}`, { online: true, tempChannelID })).status,
    ).toBe(200);
    for (const [i, r] of recipients.entries()) {
      expect((await clients[i % 2].admin('PUT', `/admin/presence/${r.accountID}`, { online: true })).status).toBe(200);
    }
    expect((await clients[1].admin('PUT', `/admin/temp-channels/${tempChannelID}`, { live: true })).status).toBe(200);
    const invite = (i: number): Promise<HttpAnswer<Envelope>> =>
      clients[i].post(
        'inviteUserJoin',
        {
          appKey: partner.appKey,
          accountID: sender.accountID,
          tempChannelID,
          multimediaURL: `${media.baseUrl}/voice.amr`,
          callbackURL: `${media.baseUrl}/callback`,
        },
        { secret: partner.secret, multipart: true },
      );
    const answers = await Promise.all([invite(0), invite(1), invite(0), invite(1)]);
    const codes = answers.map((a) => a.body.ERRORCODE).sort();
    expect(codes).toEqual(['0', 'ME18090', 'ME18090', 'ME18090']);
    await eventually(
      async () => weibo.requests.length,
      (n) => n >= RECIPIENTS,
      15000,
    );
    // Give a duplicate (a second worker attempt, a second producer) time to show up before counting.
    await sleep(1500);
    const receivers = weibo.requests.map((r) => r.form.receiverAccountID).sort();
    expect(receivers).toEqual(recipients.map((r) => r.accountID).sort());
  });

  it('should run every speech job once, on the worker, and none on the api processes', async () => {
    const total = created.length;
    await eventually(
      async () => (await sql<{ n: number }>("SELECT COUNT(*) AS n FROM secret_channel WHERE voice_url <> ''"))[0],
      (row) => Number(row.n) === total,
      60000,
    );
    const [{ clips }] = await sql<{ clips: number }>('SELECT COUNT(*) AS clips FROM voice_clip');
    expect(Number(clips)).toBe(total);
    expect(await worker.metric('queue_jobs_processed_total', { queue: 'speech-synthesis', outcome: 'completed' })).toBe(
      total,
    );
    expect(await worker.metric('queue_jobs_processed_total', { queue: 'weibo-post', outcome: 'completed' })).toBe(
      RECIPIENTS,
    );
    for (const api of apis) {
      expect(await api.metric('queue_jobs_processed_total')).toBe(0);
      const processed = api.logs().filter((l) => /^(speech job|weibo post) (started|completed|sent)/.test(l.msg ?? ''));
      expect(processed).toEqual([]);
    }
    const completedOnWorker = worker.logs().filter((l) => l.msg === 'speech job completed');
    expect(completedOnWorker).toHaveLength(total);
  });

  it('should let a credential made on one api process sign and authenticate on the other at once', async () => {
    const created2 = await clients[1].admin('POST', '/admin/apps', { name: 'made-on-api-2' });
    expect(created2.status).toBe(201);
    const app: TestPartnerApp = { appKey: created2.body.appKey, secret: created2.body.secret };
    const account = await new Fixtures(clients[1]).account(app);
    const token = await clients[0].admin('POST', '/admin/tokens', { appKey: app.appKey, accountID: account.accountID });
    expect(token.status).toBe(201);
    for (const [i, accessToken] of [account.accessToken, token.body.accessToken as string].entries()) {
      const res = await clients[(i + 1) % 2].post(
        'fetchSecretChannel',
        { appKey: app.appKey, accountID: account.accountID, accessToken, infoType: '1' },
        { secret: app.secret },
      );
      expect(res.body.ERRORCODE).toBe('0');
    }
  });

  it('should make a disabled app, a revoked token and a rotated secret count on the other api process within 1 s', async () => {
    const made = await clients[0].admin('POST', '/admin/apps', { name: 'lifecycle' });
    const app: TestPartnerApp = { appKey: made.body.appKey, secret: made.body.secret };
    const user = await fixtures.account(app);
    const probe = (on: number, secret = app.secret) =>
      clients[on].post(
        'fetchSecretChannel',
        { appKey: app.appKey, accountID: user.accountID, accessToken: user.accessToken, infoType: '1' },
        { secret },
      );
    /** Polls api process `on` until it answers `code`; the milliseconds it took, at most 1000. */
    async function seenWithin1s(on: number, code: string, secret?: string): Promise<number> {
      const started = Date.now();
      for (;;) {
        const res = await probe(on, secret);
        if (res.body.ERRORCODE === code) {
          return Date.now() - started;
        }
        if (Date.now() - started > 1000) {
          throw new Error(`api-${on + 1} still answers ${res.text} after 1 s, expected ${code}`);
        }
        await sleep(20);
      }
    }
    // Both processes have answered (and cached) the app, its secret and the token before each change.
    expect(await seenWithin1s(0, '0')).toBeLessThan(1000);
    expect(await seenWithin1s(1, '0')).toBeLessThan(1000);

    expect((await clients[0].admin('PATCH', `/admin/apps/${app.appKey}`, { enabled: false })).status).toBe(200);
    expect(await seenWithin1s(1, 'ME01002')).toBeLessThanOrEqual(1000);
    expect((await clients[1].admin('PATCH', `/admin/apps/${app.appKey}`, { enabled: true })).status).toBe(200);
    expect(await seenWithin1s(0, '0')).toBeLessThanOrEqual(1000);

    const rotated = await clients[1].admin('POST', `/admin/apps/${app.appKey}/rotate-secret`, { graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    expect(await seenWithin1s(0, 'ME01019')).toBeLessThanOrEqual(1000);
    expect(await seenWithin1s(0, '0', rotated.body.secret as string)).toBeLessThanOrEqual(1000);
    app.secret = rotated.body.secret as string;

    const revoked = await clients[0].admin('POST', '/admin/tokens/revoke', { accessToken: user.accessToken });
    expect(revoked.body).toEqual({ revoked: 1 });
    expect(await seenWithin1s(1, 'ME01003')).toBeLessThanOrEqual(1000);
  });

  it('should serve only /health/live, /health/ready and /metrics on a worker', async () => {
    const live = await fetch(`${worker.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${worker.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as { checks: Record<string, { status: string }> };
    expect(Object.keys(readiness.checks).sort()).toEqual(
      // A worker's readiness also needs working speech synthesis (docs/reliability.md).
      ['mysql', 'redis', 'tts', ...MONITORED_QUEUES.map((q) => `queue:${q}`)].sort(),
    );
    expect(Object.values(readiness.checks).every((c) => c.status === 'up')).toBe(true);
    const metrics = await fetch(`${worker.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('queue_jobs_processed_total');
    for (const [method, path] of [
      ['POST', '/clientcustom/v2/fetchSecretChannel'],
      ['GET', '/docs'],
      ['GET', '/admin/queues'],
      ['GET', '/admin/apps'],
      ['GET', `/media/voice/1.amr`],
    ]) {
      expect((await fetch(`${worker.baseUrl}${path}`, { method })).status).toBe(404);
    }
    // The api processes do serve those routes.
    expect((await fetch(`${apis[0].baseUrl}/docs/openapi.json`)).status).toBe(200);
  });

  it('should name an unknown variable with a service prefix in a warning at start', () => {
    const warning = apis[0].logs().find((l) => l.level === 'warn' && Array.isArray(l.variables));
    expect(warning?.variables).toEqual(['REDIS_SENTINAL_NAME']);
    expect(apis[1].logs().some((l) => Array.isArray(l.variables))).toBe(false);
  });

  it.each([
    [
      { REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: '127.0.0.1:7000' },
      /REDIS_SENTINELS, REDIS_CLUSTER_NODES/,
    ],
    [{ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_DB: '3' }, /REDIS_DB, REDIS_CLUSTER_NODES/],
    [{ DB_REPLICA_HOSTS: 'replica-without-port' }, /DB_REPLICA_HOSTS/],
  ])('should refuse to start with %j, naming the variables', async (env, message) => {
    const refused = ServiceProcess.spawn('refused', REFUSED_PORT, env);
    expect(await refused.process.wait()).toBe(1);
    expect(refused.process.text()).toMatch(message);
  });
});
