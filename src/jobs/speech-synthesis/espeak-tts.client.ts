import { ChildProcess, spawn } from 'node:child_process';
import { TtsClient, TtsError } from './tts.client';

export interface EspeakTtsOptions {
  /** Executable names or paths; tests point them at stand-ins. */
  espeakCommand?: string;
  soxCommand?: string;
  /** espeak-ng voice; `cmn` is Mandarin. */
  voice?: string;
  /** A clip larger than this is a failure (a channel name is a few KB). */
  maxOutputBytes?: number;
}

/** 8 kHz mono, AMR-NB at 12.2 kbit/s (-C 7), from a WAV on stdin to the .amr file on stdout. */
const SOX_ARGS = ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-t', 'amr-nb', '-C', '7', '-'];
const STDERR_KEEP_BYTES = 2048;
const EXIT_GRACE_MS = 2000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

/** Keeps the first bytes of a stream: enough to explain a failure, bounded however chatty the tool is. */
export function captureHead(stream: NodeJS.ReadableStream | null): () => string {
  const chunks: Buffer[] = [];
  let kept = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (kept < STDERR_KEEP_BYTES) {
      chunks.push(chunk.subarray(0, STDERR_KEEP_BYTES - kept));
      kept += Math.min(chunk.length, STDERR_KEEP_BYTES - kept);
    }
  });
  return () => Buffer.concat(chunks).toString('utf8').trim();
}

/** Calls back once the process is gone: closed, or never started at all. */
export function onExit(child: ChildProcess, callback: (exit: Exit) => void): void {
  child.once('close', (code, signal) => callback({ code, signal }));
  child.on('error', (err) => {
    // Without a pid the process never started and will never close; other errors precede a close.
    if (child.pid === undefined) {
      callback({ code: null, signal: null, spawnError: err });
    }
  });
}

/**
 * Kills a child only while it really runs. A child whose spawn failed still holds a handle with pid 0 until
 * its error event fires, and killing that handle is kill(0, signal): every process in our process group.
 */
export function killIfRunning(child: ChildProcess): void {
  if (child.pid !== undefined && child.pid > 0 && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
}

export function describeExit(name: string, exit: Exit, stderr: string): string {
  const how = exit.spawnError
    ? `could not start: ${exit.spawnError.message}`
    : exit.signal
      ? `killed by ${exit.signal}`
      : `exited with code ${exit.code}`;
  return stderr ? `${name} ${how}: ${stderr}` : `${name} ${how}`;
}

/**
 * The offline driver (DEPENDENCIES.md 2): `espeak-ng -v cmn --stdin --stdout | sox ... -t amr-nb -`,
 * two processes spawned without a shell and piped in Node. The text goes in on stdin, never on a
 * command line, so text starting with `-` or holding quotes is only ever spoken. On timeout, failure
 * or oversized output both processes are killed, and the promise settles only once both are gone.
 */
export class EspeakTtsClient extends TtsClient {
  readonly driver = 'espeak' as const;
  private readonly espeakCommand: string;
  private readonly soxCommand: string;
  private readonly voice: string;
  private readonly maxOutputBytes: number;

  constructor(options: EspeakTtsOptions = {}) {
    super();
    this.espeakCommand = options.espeakCommand ?? 'espeak-ng';
    this.soxCommand = options.soxCommand ?? 'sox';
    this.voice = options.voice ?? 'cmn';
    this.maxOutputBytes = options.maxOutputBytes ?? 2 * 1024 * 1024;
  }

  synthesize(text: string, timeoutMs: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const espeak = spawn(this.espeakCommand, ['-v', this.voice, '--stdin', '--stdout'], { stdio: 'pipe' });
      const sox = spawn(this.soxCommand, SOX_ARGS, { stdio: 'pipe' });
      const espeakStderr = captureHead(espeak.stderr);
      const soxStderr = captureHead(sox.stderr);
      const output: Buffer[] = [];
      let outputBytes = 0;
      let failure: string | undefined;
      let running = 2;
      let settled = false;

      const settle = (): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (failure !== undefined) {
          reject(new TtsError(`espeak driver: ${failure}`));
        } else {
          resolve(Buffer.concat(output));
        }
      };
      // One side failing leaves the other blocked on its pipe, so any failure stops both.
      const fail = (reason: string): void => {
        failure ??= reason;
        killIfRunning(espeak);
        killIfRunning(sox);
      };
      const exited = (name: string, stderr: () => string) => (exit: Exit) => {
        if (exit.spawnError || exit.code !== 0) {
          fail(describeExit(name, exit, stderr()));
        }
        running--;
        if (running === 0) {
          settle();
        }
      };
      const timer = setTimeout(() => {
        fail(`timed out after ${timeoutMs} ms`);
        // A killed process always reports its exit; should one not, answer anyway.
        setTimeout(settle, EXIT_GRACE_MS).unref();
      }, timeoutMs);

      onExit(espeak, exited('espeak-ng', espeakStderr));
      onExit(sox, exited('sox', soxStderr));
      sox.stdout.on('data', (chunk: Buffer) => {
        outputBytes += chunk.length;
        if (outputBytes > this.maxOutputBytes) {
          fail(`output larger than ${this.maxOutputBytes} bytes`);
          return;
        }
        output.push(chunk);
      });
      // A pipe breaks when the process at its other end dies; the exit status explains why.
      for (const stream of [espeak.stdin, espeak.stdout, sox.stdin, sox.stdout]) {
        stream.on('error', () => undefined);
      }
      espeak.stdout.pipe(sox.stdin);
      espeak.stdin.end(text, 'utf8');
    });
  }
}
