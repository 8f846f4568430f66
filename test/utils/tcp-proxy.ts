import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (MariaDB, Redis), so a test can make that
 * dependency unreachable while the app runs: `refuse()` closes every connection and the port,
 * `blackhole()` keeps connections open but drops all traffic.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: 'forward' | 'blackhole' = 'forward';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.mode === 'blackhole') {
        client.pause();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.on('data', (chunk) => {
        if (this.mode === 'forward') {
          upstream.write(chunk);
        }
      });
      upstream.on('data', (chunk) => {
        if (this.mode === 'forward') {
          client.write(chunk);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Connections reset and the port closed: the dependency is down. */
  async refuse(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      for (const s of this.sockets) {
        s.destroy();
      }
    });
  }

  /** Traffic silently dropped on every connection, new or open: the dependency hangs. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  async stop(): Promise<void> {
    if (this.server?.listening) {
      await this.refuse();
    }
  }
}
