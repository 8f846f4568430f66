import Redis from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, run, waitFor } from '../../utils/child-process';

/** One redis-server (or sentinel) of the test's own, on a given port, with a temporary folder, no persistence. */
export class RedisServer {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly process: ManagedProcess,
  ) {}

  static async start(port: number, args: string[] = [], sentinelConfig?: string): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), `chsvc-redis-${port}-`));
    let command: string[];
    if (sentinelConfig === undefined) {
      command = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...args,
      ];
    } else {
      // Sentinel rewrites its configuration file, so it gets a writable one in the temporary folder.
      const file = join(dir, 'sentinel.conf');
      writeFileSync(file, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${sentinelConfig}\n`);
      command = [file, '--sentinel'];
    }
    const process = ManagedProcess.spawn(`redis:${port}`, 'redis-server', command);
    const server = new RedisServer(port, dir, process);
    await waitFor(`redis on ${port} answers`, async () => {
      if (!process.running) {
        throw new Error(`redis-server exited: ${process.text()}`);
      }
      return (await server.command('PING')) === 'PONG';
    });
    return server;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** One command on a short-lived connection. */
  async command(...args: string[]): Promise<unknown> {
    const client = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(args[0], ...args.slice(1));
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.process.stop(5000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Redis Cluster of three masters (no replicas), made with `redis-cli --cluster create`. */
export class RedisClusterFixture {
  private constructor(readonly nodes: RedisServer[]) {}

  static async start(ports: number[]): Promise<RedisClusterFixture> {
    const nodes = await Promise.all(
      ports.map((port) =>
        RedisServer.start(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ]),
      ),
    );
    const cluster = new RedisClusterFixture(nodes);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => n.address),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor(
      'cluster state ok on every node',
      async () => {
        const infos = await Promise.all(nodes.map((n) => n.command('CLUSTER', 'INFO')));
        return infos.every((info) => String(info).includes('cluster_state:ok'));
      },
      20000,
    );
    return cluster;
  }

  /** `REDIS_CLUSTER_NODES` for the service. */
  get nodesSetting(): string {
    return this.nodes.map((n) => n.address).join(',');
  }

  /** Every key on every master matching `pattern`, with the port of the node that holds it. */
  async keys(pattern: string): Promise<Array<{ key: string; port: number }>> {
    const perNode = await Promise.all(
      this.nodes.map(async (n) =>
        ((await n.command('KEYS', pattern)) as string[]).map((key) => ({ key, port: n.port })),
      ),
    );
    return perNode.flat();
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

/**
 * A master, one replica of it and one Sentinel watching them. The service is given only the Sentinel's
 * address and the master's name, so everything it does proves it found the master through Sentinel.
 */
export class RedisSentinelFixture {
  static readonly MASTER_NAME = 'chsvc-master';

  private constructor(
    readonly master: RedisServer,
    readonly replica: RedisServer,
    readonly sentinel: RedisServer,
  ) {}

  static async start(masterPort: number, replicaPort: number, sentinelPort: number): Promise<RedisSentinelFixture> {
    const master = await RedisServer.start(masterPort);
    const replica = await RedisServer.start(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
    const name = RedisSentinelFixture.MASTER_NAME;
    const sentinel = await RedisServer.start(
      sentinelPort,
      [],
      [
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
      ].join('\n'),
    );
    const fixture = new RedisSentinelFixture(master, replica, sentinel);
    await waitFor('the replica is in sync', async () =>
      String(await replica.command('INFO', 'replication')).includes('master_link_status:up'),
    );
    await waitFor('sentinel knows the replica', async () => {
      const replicas = (await sentinel.command('SENTINEL', 'REPLICAS', name)) as unknown[];
      return replicas.length === 1;
    });
    return fixture;
  }

  /** The port Sentinel currently names as master. */
  async masterPort(): Promise<number> {
    const [, port] = (await this.sentinel.command(
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      RedisSentinelFixture.MASTER_NAME,
    )) as [string, string];
    return Number(port);
  }

  async stop(): Promise<void> {
    await this.sentinel.stop();
    await Promise.all([this.master.stop(), this.replica.stop()]);
  }
}
