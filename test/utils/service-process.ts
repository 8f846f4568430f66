import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, waitFor } from './child-process';
import { testEnv } from './test-config';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `nest build` unless dist/main.js is newer than every file under src/. */
export function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestMtime(join(ROOT, 'src'))) {
    return;
  }
  execFileSync(process.execPath, [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

export interface LogLine {
  level: string;
  msg?: string;
  context?: string;
  [field: string]: unknown;
}

export interface ServiceProcessOptions {
  /** Wait for /health/ready (the default) or only /health/live. */
  ready?: boolean;
  /** Replaces the PATH the service sees (the tools it may spawn); node itself is started by absolute path. */
  path?: string;
}

/**
 * The built service (`node dist/main.js`, as production runs it) in a process group of its own, with the
 * test configuration plus `env`. Its output is kept, never printed: the test reads its JSON log lines.
 */
export class ServiceProcess {
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly process: ManagedProcess,
  ) {}

  /** Starts the process; resolves once it answers /health/ready (or /health/live when `ready` is false). */
  static async start(
    name: string,
    port: number,
    env: Record<string, string> = {},
    options: ServiceProcessOptions = {},
  ): Promise<ServiceProcess> {
    const service = ServiceProcess.spawn(name, port, env, options);
    await waitFor(
      `${name} answers`,
      async () => {
        if (!service.process.running) {
          throw new Error(`${name} exited ${service.process.exitCode}: ${service.process.text()}`);
        }
        const res = await fetch(`${service.baseUrl}/health/${options.ready === false ? 'live' : 'ready'}`);
        return res.status === 200;
      },
      60000,
    );
    return service;
  }

  /** Spawns without waiting (for a start that is meant to be refused). */
  static spawn(
    name: string,
    port: number,
    env: Record<string, string> = {},
    { path }: ServiceProcessOptions = {},
  ): ServiceProcess {
    ensureBuilt();
    const child = ManagedProcess.spawn(name, process.execPath, [MAIN], {
      cwd: ROOT,
      detached: true,
      env: {
        PATH: path ?? process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...testEnv({ LOG_LEVEL: 'info', PORT: String(port), ...env }),
      },
    });
    return new ServiceProcess(name, port, child);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The process group's id (the service's pid). */
  get pid(): number {
    if (this.process.pid === undefined) {
      throw new Error(`${this.name} has no pid`);
    }
    return this.process.pid;
  }

  /** Every JSON log line so far, or those whose msg is `msg` (or matches it). */
  logs(msg?: string | RegExp): LogLine[] {
    const lines = this.process
      .text()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as LogLine;
        } catch {
          return { level: 'unparsed', msg: l };
        }
      });
    if (msg === undefined) {
      return lines;
    }
    return lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg))));
  }

  /** The value of one Prometheus sample (0 when the series is absent). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.baseUrl}/metrics`)).text();
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
        if (wanted.every((w) => line.includes(w))) {
          sum += Number(line.split(' ').pop());
        }
      }
    }
    return sum;
  }

  /** SIGTERM to the process group, SIGKILL after 15 s. */
  stop(): Promise<void> {
    return this.process.stop(15000);
  }
}
