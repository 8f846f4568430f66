import { ChildProcess, spawn } from 'node:child_process';
import { TcpProxy } from './tcp-proxy';

/**
 * A TcpProxy with a fixed delay in a process of its own, so that a load test's proxy timers do not share
 * the event loop of its HTTP client (and lengthen the answer times it measures).
 */
export class TcpProxyProcess {
  private child?: ChildProcess;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly delayMs: number,
  ) {}

  async start(): Promise<number> {
    this.child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        __filename,
        this.targetHost,
        String(this.targetPort),
        String(this.delayMs),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.port = await new Promise<number>((resolve, reject) => {
      this.child!.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
      this.child!.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    });
    return this.port;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  }
}

if (require.main === module) {
  const [host, port, delay] = process.argv.slice(2);
  const proxy = new TcpProxy(host, Number(port));
  proxy.delayMs = Number(delay);
  void proxy.start().then((listening) => process.stdout.write(`${listening}\n`));
  process.on('SIGTERM', () => void proxy.stop().then(() => process.exit(0)));
}
