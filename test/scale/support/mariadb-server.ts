import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { ManagedProcess, run, waitFor } from '../../utils/child-process';

/**
 * A MariaDB server of its own for one test: `mariadbd` from the installed package on a given port, with a
 * data folder made by `mariadb-install-db` in a temporary directory (root with an empty password over TCP),
 * binary logging on so it can be a replication primary. remove() stops it and deletes the folder.
 */
export class MariaDbServer {
  private process?: ManagedProcess;

  private constructor(
    readonly port: number,
    readonly serverId: number,
    readonly dir: string,
  ) {}

  static async create(port: number, serverId: number): Promise<MariaDbServer> {
    const dir = mkdtempSync(join(tmpdir(), `chsvc-mariadb-${port}-`));
    mkdirSync(join(dir, 'tmp'));
    // Its own TMPDIR: two bootstraps sharing /tmp collide on their temporary table names.
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--user=root',
        '--skip-test-db',
      ],
      { env: { ...process.env, TMPDIR: join(dir, 'tmp') } },
    );
    const server = new MariaDbServer(port, serverId, dir);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.process = ManagedProcess.spawn(`mariadb:${this.port}`, 'mariadbd', [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.dir, 'mysqld.sock')}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      `--tmpdir=${join(this.dir, 'tmp')}`,
      '--user=root',
      `--server-id=${this.serverId}`,
      `--log-bin=${join(this.dir, 'data', 'binlog')}`,
      '--binlog-format=ROW',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--performance-schema=OFF',
      `--log-error=${join(this.dir, 'error.log')}`,
    ]);
    await waitFor(`MariaDB on ${this.port} answers`, async () => {
      if (!this.process?.running) {
        throw new Error(`mariadbd exited: ${this.process?.text()}`);
      }
      const c = await this.connect();
      await c.end();
      return true;
    });
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  connect(database?: string): Promise<Connection> {
    return createConnection({ host: '127.0.0.1', port: this.port, user: 'root', password: '', database });
  }

  async query<T = RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = await this.connect();
    try {
      const [rows] = await c.query(sql, params);
      return rows as T[];
    } finally {
      await c.end();
    }
  }

  /** Makes this server a replica of `primary` from the start of its binary log. */
  async replicateFrom(primary: MariaDbServer): Promise<void> {
    await this.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='',
       MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1`,
    );
    await this.query('START SLAVE');
    await waitFor('replication runs', async () => {
      const [status] = await this.query<{ Slave_IO_Running: string; Slave_SQL_Running: string }>('SHOW SLAVE STATUS');
      return status?.Slave_IO_Running === 'Yes' && status.Slave_SQL_Running === 'Yes';
    });
  }

  /** SIGSTOP: the server keeps its connections but answers nothing, as a hung or partitioned one would. */
  freeze(): void {
    process.kill(this.pid!, 'SIGSTOP');
  }

  thaw(): void {
    process.kill(this.pid!, 'SIGCONT');
  }

  /** SIGTERM and wait: a clean stop. */
  async stop(): Promise<void> {
    await this.process?.stop(20000);
  }

  /** SIGKILL: the server vanishes mid-work, as a crashed or unplugged one would. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
