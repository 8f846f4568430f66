import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';
import { TcpProxy } from './utils/tcp-proxy';

/** Times a partner call and checks it is a well-formed envelope answered with HTTP 200. */
async function timedEnvelope(client: PartnerClient, route: string, params: Record<string, string>, secret: string) {
  const started = Date.now();
  const res = await client.post(route, params, { secret });
  const ms = Date.now() - started;
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { body: res.body, ms };
}

describe('the partner envelope (API.md 2)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let app: TestPartnerApp;
  let user: TestAccount;

  beforeAll(async () => {
    t = await createTestApp({}, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
    await resetState(t);
    const fixtures = new Fixtures(client);
    app = await fixtures.app();
    user = await fixtures.account(app);
  });
  afterAll(() => t.close());

  const params = (): Record<string, string> => ({
    appKey: app.appKey,
    accountID: user.accountID,
    accessToken: user.accessToken,
  });

  it('should answer a crash inside a handler with ME01022, not a 500 or a stack trace', async () => {
    const { body } = await timedEnvelope(client, 'probeCrash', params(), app.secret);
    expect(body).toEqual({ ERRORCODE: 'ME01022', RESULT: 'internal data error!' });
  });

  it('should answer a handler that hangs with ME01022 within 5 seconds', async () => {
    const { body, ms } = await timedEnvelope(client, 'probeSlow', params(), app.secret);
    expect(body.ERRORCODE).toBe('ME01022');
    expect(ms).toBeLessThan(5000);
  });

  it('should answer an unknown partner route and a GET with the envelope', async () => {
    const unknown = await client.post('noSuchRoute', params(), { secret: app.secret });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'api is error!' });
    const get = await client.raw('/clientcustom/v2/probe', { method: 'GET' });
    expect(get.status).toBe(200);
    expect(get.body.ERRORCODE).toBe('ME01023');
  });

  it('should answer DTO validation failures with ME01023 naming the first bad parameter', async () => {
    const tooShort = await client.post('probe', { ...params(), text: 'a' }, { secret: app.secret });
    expect(tooShort.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'text is error!' });
    const emoji = await client.post('probe', { ...params(), text: '😀😀' }, { secret: app.secret });
    expect(emoji.body.ERRORCODE).toBe('0');
  });

  it('should carry a request id back to the caller', async () => {
    const res = await client.raw('/clientcustom/v2/probe', {
      method: 'POST',
      headers: { 'X-Request-Id': 'req-abc.123' },
      body: '',
    });
    expect(res.headers.get('x-request-id')).toBe('req-abc.123');
  });
});

describe('dependencies failing under a running service (API.md 2: ME01020 / ME01021 within 5 s)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let mysqlProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let app: TestPartnerApp;
  let user: TestAccount;

  beforeEach(async () => {
    mysqlProxy = new TcpProxy('127.0.0.1', 3306);
    redisProxy = new TcpProxy('127.0.0.1', 6379);
    const dbPort = await mysqlProxy.start();
    const redisPort = await redisProxy.start();
    t = await createTestApp({ DB_PORT: String(dbPort), REDIS_PORT: String(redisPort) }, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
    await resetState(t);
    const fixtures = new Fixtures(client);
    app = await fixtures.app();
    user = await fixtures.account(app);
    // Warm the app-secret and token caches, as on a busy server.
    expect((await client.post('probeDb', params(), { secret: app.secret })).body.ERRORCODE).toBe('0');
  });
  afterEach(async () => {
    await mysqlProxy.stop();
    await redisProxy.stop();
    await t.close().catch(() => undefined);
  });

  const params = (): Record<string, string> => ({
    appKey: app.appKey,
    accountID: user.accountID,
    accessToken: user.accessToken,
  });

  it('should answer ME01020 when MySQL refuses connections', async () => {
    await mysqlProxy.refuse();
    const { body, ms } = await timedEnvelope(client, 'probeDb', params(), app.secret);
    expect(body).toEqual({ ERRORCODE: 'ME01020', RESULT: 'mysql failed!' });
    expect(ms).toBeLessThan(5000);
  });

  it('should answer ME01020 when MySQL stops answering', async () => {
    mysqlProxy.blackhole();
    const { body, ms } = await timedEnvelope(client, 'probeDb', params(), app.secret);
    expect(body.ERRORCODE).toBe('ME01020');
    expect(ms).toBeLessThan(5000);
  });

  it('should answer ME01021 when Redis is unreachable', async () => {
    await redisProxy.refuse();
    const { body, ms } = await timedEnvelope(client, 'probeRedis', params(), app.secret);
    expect(body).toEqual({ ERRORCODE: 'ME01021', RESULT: 'redis failed!' });
    expect(ms).toBeLessThan(5000);
  });

  it('should answer ME01021 when Redis stops answering', async () => {
    redisProxy.blackhole();
    const { body, ms } = await timedEnvelope(client, 'probeRedis', params(), app.secret);
    expect(body.ERRORCODE).toBe('ME01021');
    expect(ms).toBeLessThan(5000);
  });

  it('should report readiness 503 naming MySQL when it is down while liveness stays 200', async () => {
    await mysqlProxy.refuse();
    const down = await client.raw<any>('/health/ready', { method: 'GET' });
    expect(down.status).toBe(503);
    expect(down.body.checks.mysql.status).toBe('down');
    expect(down.body.checks.redis.status).toBe('up');
    const live = await client.raw('/health/live', { method: 'GET' });
    expect(live.status).toBe(200);
  });

  it('should report readiness 503 naming Redis when it is down', async () => {
    await redisProxy.refuse();
    const down = await client.raw<any>('/health/ready', { method: 'GET' });
    expect(down.status).toBe(503);
    expect(down.body.checks.redis.status).toBe('down');
    expect(down.body.checks.mysql.status).toBe('up');
  });
});
