/**
 * Load benchmark: starts the built service (dist/main.js) on a spare port with its own database,
 * provisions an app, accounts and a channel through the admin API, then drives each scenario with
 * autocannon over loopback and prints a Markdown table.
 *
 *   npm run build && npm run bench                  # defaults: 10 s per scenario, 20 connections
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 npm run bench
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { computeSign } from '../src/common/signature/sign';

const PORT = Number(process.env.BENCH_PORT ?? 3917);
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

async function admin<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(BASE + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`${path}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

function signedBody(params: Record<string, string>, secret: string): string {
  return new URLSearchParams({ ...params, sign: computeSign(params, secret) }).toString();
}

async function partner(
  route: string,
  params: Record<string, string>,
  secret: string,
): Promise<{ ERRORCODE: string; RESULT: unknown }> {
  const res = await fetch(`${BASE}/clientcustom/v2/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: signedBody(params, secret),
  });
  return (await res.json()) as { ERRORCODE: string; RESULT: unknown };
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/health/ready`)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('service did not become ready in 30 s');
}

function startService(): ChildProcess {
  return spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DB_DATABASE: process.env.BENCH_DB_DATABASE ?? 'daoke_channel_bench',
      REDIS_DB: process.env.BENCH_REDIS_DB ?? '9',
      REDIS_KEY_PREFIX: 'chsvc-bench',
      ADMIN_TOKEN,
      APP_RATE_LIMIT_PER_SECOND: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function run(s: Scenario): Promise<string> {
  const result = await autocannon({
    url: BASE + s.path,
    method: s.method,
    body: s.body,
    headers: s.body ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return `| ${s.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p90} | ${result.latency.p99} | ${result.latency.max} | ${result.requests.total} | ${bad} |`;
}

async function main(): Promise<void> {
  const service = startService();
  try {
    await waitReady();
    const app = await admin<{ appKey: string; secret: string }>('/admin/apps', { name: 'bench' });
    const owner = await admin<{ accountID: string }>('/admin/accounts', {});
    const { accessToken } = await admin<{ accessToken: string }>('/admin/tokens', {
      appKey: app.appKey,
      accountID: owner.accountID,
    });
    await admin('/admin/catalogs', {
      catalogID: String(200000 + Math.floor(Math.random() * 99999)),
      name: 'bench',
      catalogType: 0,
    }).catch(() => undefined);
    const catalogs = (await (
      await fetch(`${BASE}/admin/catalogs`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as Array<{ catalogID: string }>;
    const auth = { appKey: app.appKey, accountID: owner.accountID, accessToken };
    const applied = await partner(
      'applySecretChannel',
      {
        ...auth,
        channelName: `压测${Date.now() % 100000}`,
        channelIntroduction: '基准测试频道',
        channelCityCode: '110000',
        channelCatalogID: catalogs[0].catalogID,
        openType: '1',
      },
      app.secret,
    );
    if (applied.ERRORCODE !== '0') {
      throw new Error(`apply failed: ${JSON.stringify(applied)}`);
    }
    const channelNumber = (applied.RESULT as { channelNumber: string }).channelNumber;
    const scenarios: Scenario[] = [
      { name: 'GET /health/live (no dependencies)', method: 'GET', path: '/health/live' },
      {
        name: 'signature refused (ME01019)',
        method: 'POST',
        path: '/clientcustom/v2/getSecretChannelInfo',
        body: new URLSearchParams({ ...auth, channelNumber, sign: '0'.repeat(40) }).toString(),
      },
      {
        name: 'getSecretChannelInfo (sign + token + reads)',
        method: 'POST',
        path: '/clientcustom/v2/getSecretChannelInfo',
        body: signedBody({ ...auth, channelNumber }, app.secret),
      },
      {
        name: 'fetchSecretChannel infoType 1 (list, page of 20)',
        method: 'POST',
        path: '/clientcustom/v2/fetchSecretChannel',
        body: signedBody({ ...auth, infoType: '1', startPage: '1', pageCount: '20' }, app.secret),
      },
    ];
    for (const s of scenarios) {
      const body = s.body
        ? await fetch(BASE + s.path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: s.body,
          }).then((r) => r.text())
        : '';
      if (s.body && !s.name.includes('refused') && !body.includes('"ERRORCODE":"0"')) {
        throw new Error(`${s.name}: unexpected answer ${body}`);
      }
    }
    const lines = [
      `${SECONDS} s per scenario, ${CONNECTIONS} connections, node ${process.version}, one service process (APP_ROLE=all)`,
      '',
      '| scenario | req/s (mean) | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx/errors |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const s of scenarios) {
      lines.push(await run(s));
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    service.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
