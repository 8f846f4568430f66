import { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, verbose: 10, log: 20, info: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

/**
 * Structured logs: one JSON object per line on stdout. Callers pass either a message or an object
 * (request id, code, ...). Nothing here ever receives request bodies, secrets or tokens.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
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
    const line = JSON.stringify(entry) + '\n';
    if (LEVELS[level] >= LEVELS.error) {
      process.stderr.write(line);
    } else {
      process.stdout.write(line);
    }
  }
}
