import { connect } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { resetOverConnection } from './utils/reset-state';
import { Fixtures } from './utils/fixtures';
import { PartnerClient, urlencode } from './utils/partner-client';
import { applyParams, GROUP_CATALOG } from './utils/secret-channel-world';
import { ServiceProcess } from './utils/service-process';
import { sleep } from './utils/child-process';
import { TcpProxy } from './utils/tcp-proxy';
import { testConfig } from './utils/test-config';

const PORT = 17220;

/**
 * The built service stopped with SIGTERM while it works on a join whose client has gone: MySQL is slowed
 * (a TCP proxy) so that the join is still running when the signal comes. The join must commit before the
 * pool closes, and the service must say in its log that it waited: a line written during the stop, which
 * used to be lost because Nest re-raised the signal before the logger's buffer was flushed.
 */
describe('stopping the built service (e2e)', () => {
  it('should finish a join whose client has gone, then log that it waited, before it exits', async () => {
    const { database } = testConfig();
    const direct = await createConnection({
      host: database.host,
      port: database.port,
      user: database.username,
      password: database.password,
      database: database.database,
    });
    const proxy = new TcpProxy(database.host, database.port);
    const proxyPort = await proxy.start();
    let service: ServiceProcess | undefined;
    try {
      await resetOverConnection(direct);

      // An api process: no queue workers, so it closes quickly and the join is still running when MySQL would close.
      service = await ServiceProcess.start(
        'stopping',
        PORT,
        { DB_PORT: String(proxyPort), APP_ROLE: 'api' },
        { ready: false },
      );
      const client = new PartnerClient(service.baseUrl);
      const fixtures = new Fixtures(client);
      const partner = await fixtures.app();
      await fixtures.catalog(GROUP_CATALOG, 2, '交通');
      const [owner, joiner] = [await fixtures.account(partner), await fixtures.account(partner)];
      const applied = await client.post(
        'applySecretChannel',
        { appKey: partner.appKey, accountID: owner.accountID, accessToken: owner.accessToken, ...applyParams() },
        { secret: partner.secret },
      );
      expect(applied.body.ERRORCODE).toBe('0');

      // 60 ms each way on every MySQL packet: the join's dozen statements take about 1.5 s, inside its deadline.
      proxy.delayMs = 60;
      // A client that sends the join and goes: a raw socket, so nothing of an HTTP client's pool outlives it.
      const body = urlencode(
        client.signed(
          {
            appKey: partner.appKey,
            accountID: joiner.accountID,
            accessToken: joiner.accessToken,
            uniqueCode: (applied.body.RESULT as { uniqueCode: string }).uniqueCode,
          },
          partner.secret,
        ),
      );
      const gone = connect(PORT, '127.0.0.1');
      gone.on('error', () => undefined);
      gone.write(
        'POST /clientcustom/v2/joinSecretChannel HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          'Content-Type: application/x-www-form-urlencoded\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      await sleep(400);
      gone.destroy();
      await service.process.stop();

      const [rows] = await direct.query(
        `SELECT m.active FROM secret_channel_member m JOIN secret_channel c ON c.id = m.channel_id
         WHERE c.channel_number = ? AND m.account_id = ?`,
        [(applied.body.RESULT as { channelNumber: string }).channelNumber, joiner.accountID],
      );
      expect(rows).toEqual([{ active: 1 }]);
      expect(service.logs('waited for running partner requests')).toEqual([
        expect.objectContaining({ level: 'info', requests: 1, left: 0 }),
      ]);
      expect(service.logs().filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      await service?.process.stop();
      await proxy.stop();
      await direct.end();
    }
  }, 60_000);
});
