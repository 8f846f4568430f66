import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { TypeORMError } from 'typeorm';
import { ErrorCode, errorMessage } from '../errors/error-codes';
import { ParamValidationError, PartnerError, RedisFailure } from '../errors/partner-error';
import { PartnerWorkTracker } from '../overload/partner-work.tracker';
import { isPartnerPath, PartnerRequest } from '../partner/partner-request';

export interface Envelope {
  ERRORCODE: string;
  RESULT: unknown;
}

/** A partner error answer: HTTP 200 with the envelope, and the code kept for the metrics and the log line. */
export function sendPartnerError(res: Response, code: ErrorCode, param?: string): void {
  res.locals.errorCode = code;
  const body: Envelope = { ERRORCODE: code, RESULT: errorMessage(code, param) };
  res.status(200).json(body);
}

/** mysql2 marks its errors with an SQL state or a fatal flag; TypeORM wraps query failures. */
export function isDatabaseError(err: unknown): boolean {
  if (err instanceof TypeORMError) {
    return true;
  }
  if (typeof err !== 'object' || err === null) {
    return false;
  }
  const e = err as { sqlState?: unknown; fatal?: unknown; code?: unknown };
  return e.sqlState !== undefined || e.fatal === true || (typeof e.code === 'string' && e.code.startsWith('ER_'));
}

/** mysql2's pool refuses a query when DB_POOL_SIZE connections are busy and its wait queue is full. */
function isPoolSaturated(err: unknown): boolean {
  return err instanceof Error && err.message === 'Queue limit reached.';
}

export function envelopeFor(err: unknown): { code: ErrorCode; param?: string } {
  if (err instanceof PartnerError) {
    return { code: err.code, param: err.param };
  }
  if (err instanceof ParamValidationError) {
    return { code: 'ME01023', param: err.field };
  }
  if (err instanceof RedisFailure) {
    return { code: 'ME01021' };
  }
  if (isPoolSaturated(err)) {
    // Nothing ran: the instance is past its capacity, the partner should retry (API.md part two).
    return { code: 'ME01028' };
  }
  if (isDatabaseError(err)) {
    return { code: 'ME01020' };
  }
  if (err instanceof HttpException && err.getStatus() === 404) {
    return { code: 'ME01023', param: 'api' };
  }
  return { code: 'ME01022' };
}

/**
 * The one exception filter. Partner routes always get HTTP 200 and the envelope of API.md 2; the
 * admin and ops surfaces get ordinary status codes with `{statusCode, message, errors?}`.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly work: PartnerWorkTracker) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<PartnerRequest>();
    const res = http.getResponse<Response>();
    this.work.answered(req);
    if (res.headersSent) {
      return;
    }
    if (isPartnerPath(req.path)) {
      const { code, param } = envelopeFor(exception);
      if (code === 'ME01022' || code === 'ME01020' || code === 'ME01021') {
        this.logger.error({
          msg: 'partner request failed',
          code,
          requestId: req.requestId,
          path: req.path,
          err: describe(exception),
        });
      }
      sendPartnerError(res, code, param);
      return;
    }
    if (exception instanceof ParamValidationError) {
      res.status(400).json({
        statusCode: 400,
        message: `${exception.field} ${exception.reason}`,
        errors: { [exception.field]: exception.reason },
      });
      return;
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: exception.getStatus(), message: response } : response;
      res.status(exception.getStatus()).json(body);
      return;
    }
    const dependency = exception instanceof RedisFailure ? 'redis' : isDatabaseError(exception) ? 'database' : null;
    this.logger.error({ msg: 'request failed', requestId: req.requestId, path: req.path, err: describe(exception) });
    res.status(dependency ? 503 : 500).json({
      statusCode: dependency ? 503 : 500,
      message: dependency ? `${dependency} unavailable` : 'internal error',
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
