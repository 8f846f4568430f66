import { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, verbose: 10, log: 20, info: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

/** Where finished lines go; tests keep them and show them only for a failed test. */
export type LogSink = (line: string, level: 'error' | 'other') => void;

/**
 * Lines below error level waiting for the next turn of the event loop. Under load a write per line
 * (one system call each) cost more than the request it described; one write per turn keeps every line
 * and its order. Errors go out at once, after what is pending, so they are never lost in a crash.
 */
let pending: string[] = [];
let flushScheduled = false;

function flushPending(): void {
  flushScheduled = false;
  if (pending.length > 0) {
    const text = pending.join('');
    pending = [];
    process.stdout.write(text);
  }
}

process.once('exit', flushPending);

/** Errors and worse to stderr at once, the rest to stdout once per event-loop turn. */
const standardSink: LogSink = (line, level) => {
  if (level === 'error') {
    flushPending();
    process.stderr.write(line);
    return;
  }
  pending.push(line);
  if (pending.length >= 256) {
    flushPending();
  } else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushPending);
  }
};

/**
 * Structured logs: one JSON object per line on stdout. Callers pass either a message or an object
 * (request id, code, ...). Nothing here ever receives request bodies, secrets or tokens.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  /** `sink` lets tests keep the lines and show them only when a test fails. */
  constructor(
    level: 'debug' | 'info' | 'warn' | 'error' = 'info',
    private readonly sink: LogSink = standardSink,
  ) {
    this.threshold = LEVELS[level];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.threshold) {
      return;
    }
    // Nest passes the context as the last string argument; an error logger may pass a stack before it.
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: level === 'verbose' ? 'debug' : level,
    };
    if (context) {
      entry.context = context;
    }
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      Object.assign(entry, message);
    } else {
      entry.msg = message instanceof Error ? message.message : String(message);
    }
    this.sink(JSON.stringify(entry) + '\n', LEVELS[level] >= LEVELS.error ? 'error' : 'other');
  }
}
