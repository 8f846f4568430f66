import { ErrorCode, errorMessage } from './error-codes';

/**
 * Partner and validation errors are answers (an ERRORCODE), thrown on hot paths thousands of times a second
 * and never logged with a stack; capturing one was a visible share of a refused request's cost in the CPU
 * profile (docs/performance.md). Their constructors build the Error through this, with no stack captured.
 */
function limitStack(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
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
    const message = errorMessage(code, param);
    const restore = limitStack();
    super(message);
    restore();
    this.name = 'PartnerError';
  }

  static badParam(param: string): PartnerError {
    return new PartnerError('ME01023', param);
  }
}

/** A request field failed validation (partner: ME01023 <field> is error!; admin: 400 naming the field). */
export class ParamValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    const message = `${field} is error!`;
    const restore = limitStack();
    super(message);
    restore();
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
