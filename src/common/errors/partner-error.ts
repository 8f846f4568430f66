import { ErrorCode, errorMessage } from './error-codes';

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
    return new PartnerError('ME01023', param);
  }
}

/** A request field failed validation (partner: ME01023 <field> is error!; admin: 400 naming the field). */
export class ParamValidationError extends Error {
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
