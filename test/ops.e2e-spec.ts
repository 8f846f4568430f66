import { connect } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { sleep, waitFor } from './utils/child-process';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { urlencode } from './utils/partner-client';
import { Fixtures } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';
import { TEST_ADMIN_TOKEN } from './utils/test-config';

describe('ops surface: health, metrics, docs', () => {
  let t: TestApp;
  let client: PartnerClient;
  beforeAll(async () => {
    t = await createTestApp({}, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
    await resetState(t);
  });
  afterAll(() => t.close());

  it('should answer /health/live without touching dependencies', async () => {
    const res = await client.raw('/health/live', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('should track /health/live like every request though it answers before the Nest pipeline', async () => {
    const res = await client.raw('/health/live', { method: 'GET', headers: { 'X-Request-Id': 'probe-4711' } });
    expect(res.headers.get('x-request-id')).toBe('probe-4711');
    expect(res.headers.get('content-type')).toContain('application/json');
    const generated = await client.raw('/health/live', { method: 'GET' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = await client.raw<string>('/metrics', { method: 'GET' });
    expect(metrics.text).toMatch(
      /http_requests_total\{method="GET",route="\/health\/live",status="200",errorcode=""\} [1-9]/,
    );
    const doc = await client.raw<any>('/docs/openapi.json', { method: 'GET' });
    expect(doc.body.paths['/health/live'].get).toMatchObject({ tags: ['ops'] });
  });

  it('should answer /health/ready 200 with each dependency up', async () => {
    const res = await client.raw<any>('/health/ready', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.mysql).toEqual(expect.objectContaining({ status: 'up' }));
    expect(res.body.checks.redis).toEqual(expect.objectContaining({ status: 'up' }));
  });

  it('should count partner requests by route and ERRORCODE in /metrics', async () => {
    const fixtures = new Fixtures(client);
    const app = await fixtures.app();
    await client.post('probeNoToken', { appKey: app.appKey }, { secret: app.secret });
    await client.post('probeNoToken', { appKey: app.appKey, sign: '0'.repeat(40) });
    const res = await client.raw<string>('/metrics', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(
      /http_requests_total\{method="POST",route="\/clientcustom\/v2\/probeNoToken",status="200",errorcode="0"\} 1/,
    );
    expect(res.text).toMatch(
      /http_requests_total\{method="POST",route="\/clientcustom\/v2\/probeNoToken",status="200",errorcode="ME01019"\} 1/,
    );
    expect(res.text).toContain('http_request_duration_seconds_bucket');
  });

  it('should count and log a request whose client went before its answer as 499', async () => {
    const app = await new Fixtures(client).app();
    const body = urlencode(client.signed({ appKey: app.appKey }, app.secret));
    const gone = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    gone.on('error', () => undefined);
    gone.write(
      'POST /clientcustom/v2/probeWait HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    await sleep(300);
    gone.destroy();
    const pattern =
      /http_requests_total\{method="POST",route="\/clientcustom\/v2\/probeWait",status="499",errorcode=""\} 1/;
    await waitFor('the abandoned request counted', async () =>
      pattern.test((await client.raw<string>('/metrics', { method: 'GET' })).text),
    );
  });

  it('should serve the OpenAPI document with partner and admin routes and the signature explained', async () => {
    const ui = await client.raw<string>('/docs', { method: 'GET' });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await client.raw<any>('/docs/openapi.json', { method: 'GET' });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/admin/apps', '/admin/accounts', '/admin/tokens', '/admin/catalogs', '/health/ready']),
    );
    expect(doc.body.info.description).toContain('B9FED1695722512CE9CD173C39938136562BD01E');
  });
});

describe('ops surface restricted by OPS_REQUIRE_ADMIN_TOKEN', () => {
  it('should require the admin token for ready and metrics but not for live', async () => {
    const t = await createTestApp({ OPS_REQUIRE_ADMIN_TOKEN: 'true' });
    try {
      const client = new PartnerClient(t.baseUrl);
      expect((await client.raw('/health/ready', { method: 'GET' })).status).toBe(401);
      expect((await client.raw('/metrics', { method: 'GET' })).status).toBe(401);
      expect((await client.raw('/health/live', { method: 'GET' })).status).toBe(200);
      const authed = await client.raw('/health/ready', {
        method: 'GET',
        headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(authed.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('should finish an in-flight request before closing, then refuse new connections', async () => {
    const t = await createTestApp({}, undefined, [ProbeModule]);
    const client = new PartnerClient(t.baseUrl);
    await resetState(t);
    const app = await new Fixtures(client).app();
    const inFlight = client.post('probeWait', { appKey: app.appKey }, { secret: app.secret });
    await new Promise((r) => setTimeout(r, 300));
    const closing = t.close();
    const answer = await inFlight;
    expect(answer.body).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
    await closing;
    await expect(fetch(`${t.baseUrl}/health/live`)).rejects.toThrow();
  });

  // Found in the benchmark: a load generator that stopped mid-request, then SIGTERM. The server closed at once
  // (no connection left), MySQL's pool and Redis closed under the handlers still running, which failed with
  // "Pool is closed" halfway through their work.
  it('should let a handler whose client has gone finish its work before MySQL and Redis close', async () => {
    const t = await createTestApp({}, undefined, [ProbeModule]);
    const client = new PartnerClient(t.baseUrl);
    await resetState(t);
    const fixtures = new Fixtures(client);
    const app = await fixtures.app();
    const user = await fixtures.account(app);
    const gone = new AbortController();
    const params = client.signed(
      {
        appKey: app.appKey,
        accountID: user.accountID,
        accessToken: user.accessToken,
        nickname: 'finished',
        waitBefore: '3000',
        waitAfter: '0',
      },
      app.secret,
    );
    const abandoned = fetch(`${t.baseUrl}/clientcustom/v2/probeWrite`, {
      method: 'POST',
      body: urlencode(params),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      signal: gone.signal,
    }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    gone.abort();
    await abandoned;
    const logsBefore = capturedLines().length;
    await t.close();
    const { host, port, username, password, database } = t.config.database;
    const db = await createConnection({ host, port, user: username, password, database });
    try {
      const [rows] = await db.query('SELECT nickname FROM account WHERE account_id = ?', [user.accountID]);
      expect(rows).toEqual([{ nickname: 'finished' }]);
    } finally {
      await db.end();
    }
    expect(
      capturedLines()
        .slice(logsBefore)
        .filter((line) => line.includes('"level":"error"')),
    ).toEqual([]);
  });
  // Found with undici: it may open a connection it sends nothing on. Node's server.close() waits for such a
  // connection until its headers time out (a minute), so the stop hung and SIGKILL would have ended it.
  it('should close connections that carry no request when it stops, and not wait for them', async () => {
    const t = await createTestApp({}, undefined, [ProbeModule]);
    const silent = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const closedByServer = new Promise((resolve) => silent.once('close', resolve));
    silent.on('error', () => undefined);
    const closing = t.close();
    try {
      const stopped = await Promise.race([closing.then(() => 'stopped'), sleep(5000).then(() => 'still waiting')]);
      expect(stopped).toBe('stopped');
      await closedByServer;
    } finally {
      silent.destroy();
      await closing;
    }
  });
});

function capturedLines(): string[] {
  return (globalThis as { __capturedLogs?: string[] }).__capturedLogs ?? [];
}
