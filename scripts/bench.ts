/**
 * The benchmark of issue 9 (docs/performance.md). One run, on one machine, side by side:
 *   1. a bare node:http server, 2. a bare NestJS 11 route (the ceilings of this machine and this
 *   framework) and 2b. a bare NestJS partner pipeline (the framework's cost of a signed request's shape), all
 *   started here from node_modules; then 3. the service (dist/main.js, APP_ROLE=api)
 *   over a database seeded at scale (scripts/bench/seed.ts), through every scenario of
 *   scripts/bench/scenarios.ts with autocannon. Writes bench.json, bench.md and bench.png.
 *
 *   npm run build && npm run bench               # 10 s per scenario, 32 connections
 *   BENCH_SHORT=1 npm run bench                   # 3 s per scenario: a quick check
 *   BENCH_ONLY=info,fetch1 BENCH_CPU_PROF=/tmp/prof npm run bench   # some scenarios, CPU profile of the service
 *   BENCH_ONLY=join-quit BENCH_HEAP_SNAPSHOT=/tmp/heap npm run bench  # a heap snapshot of the service at the end
 *   BENCH_SERVICE_NODE_OPTIONS=--max-old-space-size=256 npm run bench  # other node flags for the service (default: npm start's)
 */
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ratioPlot } from './bench/png';
import { buildScenarios, Scenario, Target } from './bench/scenarios';
import { benchDatabase, seedBenchDatabase } from './bench/seed';
import { hashToken } from '../src/access/access-token.service';
import { BENCH_APP_KEY, FULL_SCALE, tokenOf } from './bench/world';

const SHORT = process.env.BENCH_SHORT === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SHORT ? 3 : 10));
const WARMUP_SECONDS = SHORT ? 1 : 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 17310);
const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 9);
const KEY_PREFIX = 'chsvc-bench';
const OUT = resolve(process.env.BENCH_OUT ?? 'bench-results');
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const ROOT = join(__dirname, '..');
const APPLIERS = CONNECTIONS * (SHORT ? 30 : 100);

interface Row {
  key: string;
  name: string;
  target: Target;
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  unexpected: number;
  /** CPU time (user + system) the server process spent per answered request, in microseconds. */
  cpu_us_per_request: number;
  codes: Record<string, number>;
  samples: string[];
  ratio?: number;
  /** The key of the bare-pipeline row of the same request shape, and the ratio to it. */
  ceiling?: string;
  ceiling_ratio?: number;
  target_ratio?: number;
  p99_bound_ms?: number;
  met?: boolean;
}

const log = (m: string): void => void process.stdout.write(`${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(url: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function startChild(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
}

/** CPU time a process has used so far, in microseconds (Linux /proc: utime + stime in clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Resident memory of a process in MB (Linux /proc). */
/** Signals the service to write a heap snapshot into `dir` and waits until the file stops growing. */
async function heapSnapshot(service: ChildProcess, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  service.kill('SIGWINCH');
  let lastSize = -1;
  for (let waited = 0; waited < 120; waited++) {
    await sleep(1000);
    const written = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    const size = written ? statSync(join(dir, written)).size : -1;
    if (written && size > 0 && size === lastSize) {
      log(`heap snapshot: ${join(dir, written)} (${Math.round(size / 2 ** 20)} MB)`);
      return;
    }
    lastSize = size;
  }
  log('heap snapshot: none written within 120 s');
}

/** The V8 heap (used, reserved) and the memory outside it (Buffers), in MB, from prom-client's default metrics. */
async function memoryMetrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const mb = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Math.round(Number(line.split(' ')[1]) / 2 ** 20) : NaN;
  };
  return {
    heapUsed: mb('nodejs_heap_size_used_bytes'),
    heapTotal: mb('nodejs_heap_size_total_bytes'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Undoes what an earlier run changed, so every run starts from the seeded state. */
async function resetBenchState(): Promise<void> {
  const db = benchDatabase();
  const c = await createConnection({
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    database: db.database,
    multipleStatements: true,
  });
  try {
    await c.query(
      `UPDATE secret_channel c JOIN secret_channel_member m ON m.channel_id = c.id
         SET c.member_count = c.member_count - 1
       WHERE m.account_id LIKE 'j%' AND m.active = 1 AND m.status <> 4 AND c.id <= ?;
       DELETE FROM secret_channel_member WHERE account_id LIKE 'j%' OR channel_id > ?;
       DELETE FROM secret_channel WHERE id > ?;
       UPDATE secret_channel_member SET status = 1 WHERE status = 2;
       DELETE FROM access_token WHERE account_id LIKE 'a%';
       DELETE FROM account WHERE account_id LIKE 'a%';
       TRUNCATE TABLE audit_log;`,
      [FULL_SCALE.channels, FULL_SCALE.channels, FULL_SCALE.channels],
    );
    const expires = new Date(Date.now() + 86400_000);
    const appliers = Array.from({ length: APPLIERS }, (_, n) => `a${String(n).padStart(9, '0')}`);
    await c.query('INSERT INTO account (account_id, nickname, roles) VALUES ?', [appliers.map((a) => [a, '', ''])]);
    await c.query('INSERT INTO access_token (token_hash, app_key, account_id, expires_at) VALUES ?', [
      appliers.map((a) => [hashToken(tokenOf(a)), BENCH_APP_KEY, a, expires]),
    ]);
  } finally {
    await c.end();
  }
  const redis = new Redis({ host: process.env.REDIS_HOST ?? '127.0.0.1', db: REDIS_DB });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function measure(s: Scenario, port: number, pid: number): Promise<Row> {
  const options = {
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    requests: s.requests,
    timeout: 10,
  };
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  s.tally.reset();
  const cpuBefore = cpuMicros(pid);
  const r = await autocannon({ ...options, duration: SECONDS });
  const cpuUsed = cpuMicros(pid) - cpuBefore;
  const row: Row = {
    key: s.key,
    name: s.name,
    target: s.target,
    rps: Math.round(r.requests.average),
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    unexpected: s.tally.unexpected + r.errors + r.timeouts,
    cpu_us_per_request: r.requests.total ? Math.round(cpuUsed / r.requests.total) : 0,
    codes: { ...s.tally.codes },
    samples: [...s.tally.samples],
    target_ratio: s.target_ratio,
    p99_bound_ms: s.p99_bound_ms,
    ceiling: s.ceiling,
  };
  log(
    `  ${s.key}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.cpu_us_per_request} µs CPU/request, unexpected ${row.unexpected}`,
  );
  for (const sample of row.samples.slice(0, 2)) {
    log(`    unexpected: ${sample}`);
  }
  return row;
}

function heapOf(memory: unknown): string {
  const { atStart, atEnd } = memory as Record<'atStart' | 'atEnd', Record<string, number>>;
  return (
    `${atStart.heapUsed} -> ${atEnd.heapUsed} MB used of ${atStart.heapTotal} -> ${atEnd.heapTotal} MB reserved, ` +
    `${atStart.external} -> ${atEnd.external} MB outside the heap`
  );
}

function markdown(rows: Row[], meta: Record<string, unknown>): string {
  const lines = [
    `${String(meta.seconds)} s per scenario after ${String(meta.warmupSeconds)} s of warm-up, ${String(meta.connections)} connections, ` +
      `node ${String(meta.node)}, ${String(meta.cpus)} cores, load average at start ${String(meta.loadAverageAtStart)}; ` +
      `service RSS ${String(meta.serviceRssAtStartMb)} MB when ready, ${String(meta.serviceRssMb)} MB at the end ` +
      `(V8 heap ${heapOf(meta.serviceMemoryMb)})`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | ÷ bare NestJS | ÷ bare pipeline | server CPU µs/request | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const target =
      r.target_ratio === undefined
        ? ''
        : `≥ ${r.target_ratio}${r.p99_bound_ms ? `, p99 ≤ ${r.p99_bound_ms} ms` : ''} ${r.met ? 'met' : 'missed'}`;
    lines.push(
      `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.unexpected} | ${r.ratio?.toFixed(2) ?? ''} | ${r.ceiling_ratio?.toFixed(2) ?? ''} | ${r.cpu_us_per_request} | ${target} |`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const mainJs = join(ROOT, 'dist', 'main.js');
  if (!existsSync(mainJs)) {
    throw new Error('dist/main.js is missing: run `npm run build` first');
  }
  mkdirSync(OUT, { recursive: true });
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  log(`load average at start: ${loadAtStart}`);
  const seeded = await seedBenchDatabase(benchDatabase(), FULL_SCALE, log);
  log(seeded ? `seeded in ${seeded.toFixed(1)} s` : 'bench database already seeded');
  await resetBenchState();
  const appliers = Array.from({ length: APPLIERS }, (_, n) => `a${String(n).padStart(9, '0')}`);
  const scenarios = buildScenarios({ scale: FULL_SCALE, appliers }).filter(
    (s) => !ONLY || s.target !== 'service' || ONLY.includes(s.key),
  );
  const rows: Row[] = [];
  const ports: Record<Target, number> = {
    http: PORT_BASE + 1,
    nest: PORT_BASE + 2,
    pipeline: PORT_BASE + 3,
    service: PORT_BASE,
  };
  const ts = (file: string): string[] => ['-r', 'ts-node/register/transpile-only', join(__dirname, 'bench', file)];

  for (const [target, args, probe] of [
    ['http', ts('bare-http.ts'), '/'],
    ['nest', ts('bare-nest.ts'), '/ping'],
    // Any path answers there: an unknown route is a 404 that its envelope filter answers with HTTP 200.
    ['pipeline', ts('bare-nest-pipeline.ts'), '/'],
  ] as const) {
    const child = startChild([...args, String(ports[target])]);
    try {
      await waitFor(`http://127.0.0.1:${ports[target]}${probe}`, 30);
      for (const s of scenarios.filter((x) => x.target === target)) {
        rows.push(await measure(s, ports[target], child.pid!));
      }
    } finally {
      await stopChild(child);
    }
  }

  const prof = process.env.BENCH_CPU_PROF;
  const heapDir = process.env.BENCH_HEAP_SNAPSHOT;
  // A heap snapshot of the service after its last scenario, written on SIGWINCH into that folder (not SIGUSR2:
  // Nest's shutdown hooks take that one and stop the app).
  const heapArgs = heapDir ? ['--heapsnapshot-signal=SIGWINCH', `--diagnostic-dir=${resolve(heapDir)}`] : [];
  // A profile is written at a normal exit only: exit at once on SIGTERM instead of Nest's re-raised signal.
  const serviceArgs = prof
    ? [
        ...heapArgs,
        '--cpu-prof',
        `--cpu-prof-dir=${prof}`,
        '-e',
        "process.once('SIGTERM',()=>process.exit(0));require(process.argv[1])",
        mainJs,
      ]
    : [...heapArgs, mainJs];
  // The service runs with the node flags of `npm start` (the heap cap), as it is shipped.
  const startFlags = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
    .split(' ')
    .filter((arg) => arg.startsWith('--'));
  const service = startChild(serviceArgs, {
    PORT: String(ports.service),
    DB_DATABASE: benchDatabase().database,
    REDIS_DB: String(REDIS_DB),
    REDIS_KEY_PREFIX: KEY_PREFIX,
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    APP_ROLE: 'api',
    APP_RATE_LIMIT_PER_SECOND: '1000000',
    // Node flags for the service alone (default: those of `npm start`), not for the ceilings or this harness.
    NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS ?? startFlags.join(' '),
  });
  let serviceRssMb: number;
  let serviceRssAtStartMb: number;
  let serviceMemory: Record<string, Record<string, number>>;
  try {
    await waitFor(`http://127.0.0.1:${ports.service}/health/ready`, 60);
    serviceRssAtStartMb = rssMb(service.pid!);
    const memoryAtStart = await memoryMetrics(ports.service);
    for (const s of scenarios.filter((x) => x.target === 'service')) {
      rows.push(await measure(s, ports.service, service.pid!));
    }
    serviceRssMb = rssMb(service.pid!);
    serviceMemory = { atStart: memoryAtStart, atEnd: await memoryMetrics(ports.service) };
    if (heapDir) {
      await heapSnapshot(service, heapDir);
    }
  } finally {
    await stopChild(service);
  }

  const nest = rows.find((r) => r.key === 'bare-nest')?.rps ?? 0;
  for (const r of rows) {
    r.ratio = nest ? r.rps / nest : undefined;
    const ceiling = rows.find((c) => c.key === r.ceiling)?.rps;
    r.ceiling_ratio = ceiling ? r.rps / ceiling : undefined;
    if (r.target_ratio !== undefined && r.ratio !== undefined) {
      r.met = r.ratio >= r.target_ratio && r.unexpected === 0 && (!r.p99_bound_ms || r.p99 <= r.p99_bound_ms);
    }
  }
  const meta = {
    date: new Date().toISOString(),
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
    node: process.version,
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
    serviceRssMb,
    serviceRssAtStartMb,
    // Where the RSS is, from the service's own /metrics at the end: V8 heap used and reserved, buffers.
    serviceMemoryMb: serviceMemory,
    serviceRssTargetMb: 200,
    scale: FULL_SCALE,
  };
  writeFileSync(join(OUT, 'bench.json'), JSON.stringify({ meta, rows }, null, 2));
  writeFileSync(join(OUT, 'bench.md'), markdown(rows, meta));
  writeFileSync(
    join(OUT, 'bench.png'),
    ratioPlot(
      'Partner pipeline vs bare NestJS',
      `${CONNECTIONS} connections, ${SECONDS} s each, ${meta.date.slice(0, 16)}Z, RSS ${serviceRssMb} MB`,
      rows.map((r) => ({
        label: r.key,
        ratio: r.ratio ?? 0,
        note: `${r.rps} req/s  p99 ${r.p99} ms${r.unexpected ? `  ${r.unexpected} errors` : ''}`,
        target: r.target_ratio,
        met: r.met,
      })),
    ),
  );
  log(`\n${markdown(rows, meta)}\nwritten: ${OUT}/bench.json, bench.md, bench.png`);
  if (rows.some((r) => r.unexpected > 0)) {
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
