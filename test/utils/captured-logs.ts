import { Logger } from '@nestjs/common';
import { JsonLogger, LogSink } from '../../src/common/logging/json-logger';

interface CaptureGlobal {
  __capturedLogs?: string[];
}

/** Keeps log lines for test/utils/log-capture-environment.js, which prints them when a test fails. */
export const captureSink: LogSink = (line, level) => {
  const buffer = (globalThis as CaptureGlobal).__capturedLogs;
  if (buffer) {
    buffer.push(line);
  } else if (level === 'error') {
    process.stderr.write(line);
  } else {
    process.stdout.write(line);
  }
};

export function testLogger(level: 'debug' | 'info' | 'warn' | 'error'): JsonLogger {
  return new JsonLogger(level, captureSink);
}

/** For jest's setupFilesAfterEnv: services built outside a Nest app log through the capture too. */
export function captureNestLogs(): void {
  Logger.overrideLogger(testLogger((process.env.TEST_LOG_LEVEL as 'error' | undefined) ?? 'error'));
}
