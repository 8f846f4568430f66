/**
 * What one partner request costs each tier, for capacity planning (docs/scaling.md): CPU milliseconds per
 * request spent in the api process, in MariaDB and in Redis. It starts its own MariaDB and Redis (ports
 * 17612/17613, temporary folders) so no other load is counted, one APP_ROLE=api process of the built
 * service, then drives each scenario with autocannon and reads the three processes' CPU time from /proc.
 *
 *   npm run build && npx ts-node scripts/request-cost.ts          # COST_SECONDS=10 COST_CONNECTIONS=20
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { computeSign } from '../src/common/signature/sign';
import { MariaDbServer } from '../test/scale/support/mariadb-server';
import { RedisServer } from '../test/scale/support/redis-servers';
import { ServiceProcess } from '../test/utils/service-process';
import { Fixtures } from '../test/utils/fixtures';
import { PartnerClient } from '../test/utils/partner-client';

const SECONDS = Number(process.env.COST_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.COST_CONNECTIONS ?? 20);
const MYSQL_PORT = 17612;
const REDIS_PORT = 17613;
const API_PORT = 17614;
const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in ms (Linux /proc; clock ticks are 1/100 s here). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function pidOf(server: { pid: number | undefined }): number {
  const pid = server.pid;
  if (pid === undefined) {
    throw new Error('no pid');
  }
  return pid;
}

async function main(): Promise<void> {
  const mysql = await MariaDbServer.create(MYSQL_PORT, 1);
  const redis = await RedisServer.start(REDIS_PORT);
  let api: ServiceProcess | undefined;
  try {
    api = await ServiceProcess.start('api', API_PORT, {
      APP_ROLE: 'api',
      DB_PORT: String(MYSQL_PORT),
      DB_DATABASE: 'chsvc_cost',
      REDIS_PORT: String(REDIS_PORT),
      REDIS_DB: '0',
      APP_RATE_LIMIT_PER_SECOND: '1000000',
      LOG_LEVEL: 'warn',
    });
    const client = new PartnerClient(api.baseUrl);
    const fixtures = new Fixtures(client);
    const app = await fixtures.app();
    const owner = await fixtures.account(app);
    await fixtures.catalog('200001', 2, '交通');
    const auth = { appKey: app.appKey, accountID: owner.accountID, accessToken: owner.accessToken };
    const applied = await client.post(
      'applySecretChannel',
      {
        ...auth,
        channelName: '成本频道',
        channelIntroduction: '成本测量',
        channelCityCode: '110000',
        channelCatalogID: '200001',
        openType: '1',
      },
      { secret: app.secret },
    );
    const { channelNumber } = applied.body.RESULT as { channelNumber: string };
    const signed = (params: Record<string, string>): string =>
      new URLSearchParams({ ...params, sign: computeSign(params, app.secret) }).toString();
    const scenarios = [
      { name: 'getSecretChannelInfo', route: 'getSecretChannelInfo', body: signed({ ...auth, channelNumber }) },
      {
        name: 'fetchSecretChannel infoType 1 (page of 20)',
        route: 'fetchSecretChannel',
        body: signed({ ...auth, infoType: '1', startPage: '1', pageCount: '20' }),
      },
    ];
    const pids = { api: pidOf(api.process), mysql: pidOf(mysql), redis: pidOf(redis) };
    const lines = [
      `${SECONDS} s per scenario, ${CONNECTIONS} connections, node ${process.version}, one APP_ROLE=api process`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | api CPU ms/req | MariaDB CPU ms/req | Redis CPU ms/req |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const s of scenarios) {
      const check = await client.raw(`/clientcustom/v2/${s.route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: s.body,
      });
      if (check.body.ERRORCODE !== '0') {
        throw new Error(`${s.name}: ${check.text}`);
      }
      const before = { api: cpuMs(pids.api), mysql: cpuMs(pids.mysql), redis: cpuMs(pids.redis) };
      const result = await autocannon({
        url: `${api.baseUrl}/clientcustom/v2/${s.route}`,
        method: 'POST',
        body: s.body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      const n = result.requests.total;
      const per = (tier: keyof typeof pids): string => ((cpuMs(pids[tier]) - before[tier]) / n).toFixed(2);
      lines.push(
        `| ${s.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${per('api')} | ${per('mysql')} | ${per('redis')} |`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await api?.stop();
    await Promise.all([mysql.remove(), redis.stop()]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
