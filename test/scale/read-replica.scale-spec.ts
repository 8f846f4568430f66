import { secretCipherFrom } from '../../src/common/crypto/secret-cipher';
import { prepareDatabase } from '../../src/database/prepare-database';
import { REPLICA_PROBE_INTERVAL_MS } from '../../src/database/read-replica.service';
import { TestAccount } from '../utils/fixtures';
import { testConfig } from '../utils/test-config';
import { applyParams, SecretWorld } from '../utils/secret-channel-world';
import { report, sleep, waitFor } from '../utils/child-process';
import { MariaDbServer } from './support/mariadb-server';

const PRIMARY_PORT = 17610;
const REPLICA_PORT = 17611;
const REPLICA = `127.0.0.1:${REPLICA_PORT}`;
const DATABASE = 'chsvc_replica_scale';
const MAX_LAG_SECONDS = 2;
/** Distinctive page sizes, so the list queries can be told apart in the servers' general logs. */
const FETCH_PAGE = 17;
const AUDIT_LIMIT = 13;
const MEMBERS_PAGE = 19;

interface LoggedQuery {
  argument: string;
}

/**
 * DB_REPLICA_HOSTS against a real replica (API.md 13): a MariaDB primary and a binlog replica of it, both
 * started by the test on their own ports and data folders. The servers' general logs show which one
 * answered what; the replica is then made to lag, killed, and started again.
 */
describe('MySQL read replicas (scale)', () => {
  let primary: MariaDbServer;
  let replica: MariaDbServer;
  let w: SecretWorld;
  let owner: TestAccount;

  async function listReads(target: string): Promise<number> {
    const metrics = await w.client.raw<string>('/metrics', { method: 'GET' });
    const line = metrics.text.split('\n').find((l) => l.startsWith(`db_list_reads_total{target="${target}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async function fetchOwned(): Promise<{ ms: number; code: string; count: string }> {
    const started = Date.now();
    const res = await w.call('fetchSecretChannel', owner, { infoType: '2', pageCount: String(FETCH_PAGE) });
    return { ms: Date.now() - started, code: res.body.ERRORCODE, count: (res.body.RESULT as { count: string }).count };
  }

  async function replicaCaughtUp(): Promise<void> {
    const [{ n }] = await primary.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${DATABASE}.secret_channel`);
    await waitFor('the replica has every channel', async () => {
      const [row] = await replica.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${DATABASE}.secret_channel`);
      return Number(row.n) === Number(n);
    });
  }

  async function withGeneralLogs(work: () => Promise<void>): Promise<{ onPrimary: string[]; onReplica: string[] }> {
    for (const server of [primary, replica]) {
      await server.query("SET GLOBAL log_output = 'TABLE'");
      await server.query('TRUNCATE mysql.general_log');
      await server.query("SET GLOBAL general_log = 'ON'");
    }
    await work();
    const logs = await Promise.all(
      [primary, replica].map(async (server) => {
        await server.query("SET GLOBAL general_log = 'OFF'");
        const rows = await server.query<LoggedQuery>(
          "SELECT CONVERT(argument USING utf8mb4) AS argument FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')",
        );
        return rows.map((r) => r.argument);
      }),
    );
    return { onPrimary: logs[0], onReplica: logs[1] };
  }

  beforeAll(async () => {
    // One after the other, so afterAll can stop whichever did start.
    primary = await MariaDbServer.create(PRIMARY_PORT, 1);
    replica = await MariaDbServer.create(REPLICA_PORT, 2);
    await replica.replicateFrom(primary);
    const env = {
      DB_HOST: '127.0.0.1',
      DB_PORT: String(PRIMARY_PORT),
      DB_DATABASE: DATABASE,
      DB_REPLICA_HOSTS: REPLICA,
      DB_REPLICA_TIMEOUT_MS: '500',
      DB_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
    };
    const config = testConfig(env);
    await prepareDatabase(config.database, undefined, secretCipherFrom(config.secrets));
    await waitFor('the schema reached the replica', async () => {
      const rows = await replica.query(`SHOW TABLES FROM ${DATABASE} LIKE 'secret_channel'`);
      return rows.length === 1;
    });
    w = await SecretWorld.start(env);
    await w.reset();
    owner = await w.account();
    for (let i = 0; i < 3; i++) {
      await w.apply(owner, applyParams({ channelName: `副本频道${i}` }));
    }
    await replicaCaughtUp();
  }, 120000);

  afterAll(async () => {
    await w?.close();
    await Promise.all([replica?.remove(), primary?.remove()]);
  });

  it('should send list reads to the replica and writes, transactions and single reads to the primary', async () => {
    const before = await listReads(REPLICA);
    const { onPrimary, onReplica } = await withGeneralLogs(async () => {
      expect(await fetchOwned()).toEqual(expect.objectContaining({ code: '0', count: '3' }));
      const [{ channelNumber: firstNumber }] = (await w.call('fetchSecretChannel', owner, { infoType: '2' })).body
        .RESULT.list as Array<{ channelNumber: string }>;
      const audit = await w.client.admin('GET', `/admin/audit?limit=${AUDIT_LIMIT}`);
      expect(audit.status).toBe(200);
      expect((await w.client.admin('GET', '/admin/apps')).status).toBe(200);
      const members = await w.call('fetchSecretChannelMembers', owner, {
        channelNumber: firstNumber,
        pageCount: String(MEMBERS_PAGE),
      });
      expect(members.body.RESULT).toEqual(expect.objectContaining({ count: '1' }));
      await w.apply(owner, applyParams({ channelName: '副本频道3' }));
      const [first] = (await w.call('fetchSecretChannel', owner, { infoType: '2' })).body.RESULT.list as Array<{
        channelNumber: string;
      }>;
      expect((await w.call('getSecretChannelInfo', owner, { channelNumber: first.channelNumber })).body.ERRORCODE).toBe(
        '0',
      );
    });
    const listOnReplica = onReplica.filter((q) => q.includes('secret_channel') && q.includes(`LIMIT ${FETCH_PAGE}`));
    expect(listOnReplica.length).toBeGreaterThan(0);
    expect(onReplica.some((q) => q.includes('audit_log') && q.includes(`LIMIT ${AUDIT_LIMIT}`))).toBe(true);
    expect(onReplica.some((q) => q.includes('secret_channel_member') && q.includes(`LIMIT ${MEMBERS_PAGE}`))).toBe(
      true,
    );
    expect(onPrimary.some((q) => q.includes(`LIMIT ${MEMBERS_PAGE}`))).toBe(false);
    expect(onPrimary.some((q) => q.includes(`LIMIT ${FETCH_PAGE}`) || q.includes(`LIMIT ${AUDIT_LIMIT}`))).toBe(false);
    const appList = (q: string): boolean => q.includes('`partner_app`') && /ORDER BY .*created_at/.test(q);
    expect(onReplica.some(appList)).toBe(true);
    expect(onPrimary.some(appList)).toBe(false);
    // The apply (a transaction with locking reads) and the single-channel read ran on the primary only.
    expect(onReplica.filter((q) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(q) || /FOR UPDATE/i.test(q))).toEqual([]);
    expect(onPrimary.some((q) => /^\s*INSERT INTO `secret_channel`/i.test(q))).toBe(true);
    expect(onPrimary.some((q) => /FOR UPDATE/i.test(q))).toBe(true);
    expect(await listReads(REPLICA)).toBeGreaterThanOrEqual(before + 3);
    await replicaCaughtUp();
  });

  it('should skip a replica that lags more than DB_REPLICA_MAX_LAG_SECONDS and read the primary', async () => {
    await replica.query('STOP SLAVE');
    await replica.query('CHANGE MASTER TO MASTER_DELAY = 60');
    await replica.query('START SLAVE');
    await w.apply(owner, applyParams({ channelName: '延迟频道' }));
    await waitFor(
      'the replica reports its lag',
      async () => {
        const [status] = await replica.query<{ Seconds_Behind_Master: number | null }>('SHOW SLAVE STATUS');
        return Number(status.Seconds_Behind_Master) > MAX_LAG_SECONDS;
      },
      15000,
    );
    await sleep(REPLICA_PROBE_INTERVAL_MS + 500);
    const onPrimaryBefore = await listReads('primary');
    // The replica still shows 4 channels; the primary has 5, and that is what the partner sees.
    expect(await fetchOwned()).toEqual(expect.objectContaining({ code: '0', count: '5' }));
    expect(await listReads('primary')).toBe(onPrimaryBefore + 1);
    report('lagging replica skipped; list read on the primary', 'yes');

    await replica.query('STOP SLAVE');
    await replica.query('CHANGE MASTER TO MASTER_DELAY = 0');
    await replica.query('START SLAVE');
    await replicaCaughtUp();
    const onReplicaBefore = await listReads(REPLICA);
    await waitFor('list reads are back on the replica', async () => {
      await fetchOwned();
      return (await listReads(REPLICA)) > onReplicaBefore;
    });
  });

  it('should fall back to the primary after DB_REPLICA_TIMEOUT_MS when the replica stops answering', async () => {
    replica.freeze();
    try {
      const first = await fetchOwned();
      expect([first.code, first.count]).toEqual(['0', '5']);
      // At most the 500 ms timeout on the replica, then the primary; well inside the 5 s of API.md 2.
      expect(first.ms).toBeGreaterThanOrEqual(500);
      expect(first.ms).toBeLessThan(5000);
      const next = await fetchOwned();
      expect(next.ms).toBeLessThan(500);
      report('list read while the replica hangs (ms)', `${first.ms}, then ${next.ms}`);
    } finally {
      replica.thaw();
    }
    const onReplicaBefore = await listReads(REPLICA);
    await waitFor('list reads are back on the thawed replica', async () => {
      await fetchOwned();
      return (await listReads(REPLICA)) > onReplicaBefore;
    });
  });

  it('should answer list reads from the primary within 5 s when the replica dies, and use it again once it is back', async () => {
    await replica.kill();
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await fetchOwned());
    }
    expect(answers.map((a) => [a.code, a.count])).toEqual(Array(5).fill(['0', '5']));
    // The first read waits DB_REPLICA_TIMEOUT_MS at most before it falls back; the next skip the replica.
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(5000);
    expect(answers.slice(1).every((a) => a.ms < 500)).toBe(true);
    report('list read right after the replica died (ms)', answers[0].ms);
    report(
      'next list reads, replica skipped (ms)',
      answers
        .slice(1)
        .map((a) => a.ms)
        .join(', '),
    );

    await replica.start();
    const back = Date.now();
    const onReplicaBefore = await listReads(REPLICA);
    await waitFor(
      'list reads are back on the restarted replica',
      async () => {
        expect((await fetchOwned()).code).toBe('0');
        return (await listReads(REPLICA)) > onReplicaBefore;
      },
      30000,
    );
    expect(Date.now() - back).toBeLessThan(30000);
    report('restarted replica serving list reads again after (ms)', Date.now() - back);
  });
});
