import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true (or throws the last error) within `withinMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, withinMs = 20000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) {
        return;
      }
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${what}: not within ${withinMs} ms${last ? ` (${(last as Error).message})` : ''}`);
}

/**
 * A server or service the scale tests start themselves: its output is kept (shown when a start fails),
 * and stop() ends it and waits for the exit so ports and data folders are free again.
 */
export class ManagedProcess {
  readonly output: string[] = [];
  private exited?: Promise<number | null>;
  exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    /** Started as the leader of its own process group: signals go to the whole group (its children too). */
    private readonly group: boolean,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString('utf8'));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // 'close', not 'exit': the process may have exited before the last of its output has been read.
    this.exited = new Promise((resolve) =>
      child.once('close', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  /** With `options.detached`, the process leads a group of its own, and stop() and kill() end the group. */
  static spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    return new ManagedProcess(name, child, options.detached === true);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  text(): string {
    return this.output.join('');
  }

  /** Resolves with the exit code. */
  wait(): Promise<number | null> {
    return this.exited!;
  }

  /** SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
  async stop(graceMs = 10000): Promise<void> {
    if (!this.running) {
      return;
    }
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.wait();
    clearTimeout(timer);
  }

  /** Dies at once, as a crashed server would. */
  async kill(): Promise<void> {
    if (this.running) {
      this.signal('SIGKILL');
      await this.wait();
    }
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.group && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, signal);
      } catch {
        // the group is gone already
      }
    } else {
      this.child.kill(signal);
    }
  }
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', reject);
    child.once('exit', (code) => {
      const out = Buffer.concat(chunks).toString('utf8');
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${out}`));
      }
    });
  });
}

/** With SCALE_REPORT=1, prints a measured figure (for docs/scaling.md); silent otherwise. */
export function report(what: string, value: number | string): void {
  if (process.env.SCALE_REPORT) {
    process.stderr.write(`[scale] ${what}: ${value}\n`);
  }
}
