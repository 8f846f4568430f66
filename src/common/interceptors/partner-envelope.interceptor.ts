import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, TimeoutError, catchError, map, throwError, timeout } from 'rxjs';
import { PartnerError } from '../errors/partner-error';
import { isPartnerPath, PartnerRequest } from '../partner/partner-request';

/** Partner handlers must answer within 5 s (API.md 2); guards and the filter fit in the rest. */
export const PARTNER_HANDLER_DEADLINE_MS = 4500;

/**
 * Wraps what a partner handler returns into `{"ERRORCODE":"0","RESULT":...}` and bounds its time.
 * Other surfaces pass through untouched.
 */
@Injectable()
export class PartnerEnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    if (!isPartnerPath(req.path)) {
      return next.handle();
    }
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      timeout(PARTNER_HANDLER_DEADLINE_MS),
      catchError((err: unknown) => throwError(() => (err instanceof TimeoutError ? new PartnerError('ME01022') : err))),
      map((result: unknown) => {
        res.locals.errorCode = '0';
        return { ERRORCODE: '0', RESULT: result };
      }),
    );
  }
}
