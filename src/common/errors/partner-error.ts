import { ErrorCode, errorMessage } from './error-codes';

/**
 * Runs `make` without capturing a stack trace. Partner and validation errors are answers (an
 * ERRORCODE), thrown on hot paths thousands of times a second and never logged with a stack, and the
 * capture was a visible share of a refused request's cost in the CPU profile (docs/performance.md).
 */
function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A partner-API failure with its ERRORCODE. Services throw it; the global filter turns it into the
 * envelope. For ME01023 `param` names the offending parameter.
 */
export class PartnerError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly param?: string,
  ) {
    super(errorMessage(code, param));
    this.name = 'PartnerError';
  }

  static badParam(param: string): PartnerError {
    return withoutStack(() => new PartnerError('ME01023', param));
  }

  /** The error of `code`, without the cost of a stack trace. */
  static of(code: ErrorCode): PartnerError {
    return withoutStack(() => new PartnerError(code));
  }
}

/** A request field failed validation (partner: ME01023 <field> is error!; admin: 400 naming the field). */
export class ParamValidationError extends Error {
  static of(field: string, reason: string): ParamValidationError {
    return withoutStack(() => new ParamValidationError(field, reason));
  }

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} is error!`);
    this.name = 'ParamValidationError';
  }
}

/** A Redis command failed or Redis is unreachable (ME01021). */
export class RedisFailure extends Error {
  constructor(cause: unknown) {
    super(`redis failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RedisFailure';
  }
}
