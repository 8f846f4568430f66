import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (MariaDB, Redis), so a test can make that
 * dependency unreachable while the app runs: `refuse()` closes every connection and the port,
 * `blackhole()` keeps connections open but drops all traffic, `delayMs` slows every chunk each way.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: 'forward' | 'blackhole' = 'forward';
  port = 0;
  /** Added to every chunk in each direction (order is kept: equal delays fire in order). */
  delayMs = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on `port` (0: any free port). */
  async start(port = 0): Promise<number> {
    this.mode = 'forward';
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
      client.on('data', (chunk) => this.forward(chunk, upstream));
      upstream.on('data', (chunk) => this.forward(chunk, client));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  private forward(chunk: Buffer, to: Socket): void {
    if (this.mode !== 'forward') {
      return;
    }
    if (this.delayMs === 0) {
      to.write(chunk);
      return;
    }
    setTimeout(() => {
      if (!to.destroyed) {
        to.write(chunk);
      }
    }, this.delayMs);
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

  /** After refuse(): the dependency is reachable again on the same port. */
  async restore(): Promise<void> {
    await this.start(this.port);
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
