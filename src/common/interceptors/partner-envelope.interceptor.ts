import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { settleByDeadline } from '../overload/deadline';
import { PartnerWorkTracker } from '../overload/partner-work.tracker';
import { currentDeadline } from '../overload/request-deadline';
import { isPartnerPath, PartnerRequest } from '../partner/partner-request';

/**
 * The one global interceptor: a partner handler's result is bounded by its request's deadline
 * (settleByDeadline) and wrapped into `{"ERRORCODE":"0","RESULT":...}`. Other surfaces pass through.
 * One interceptor rather than two: Nest binds an AsyncResource and an RxJS layer per interceptor per request.
 * Each partner handler's work is tracked until it settles, so a stopping instance lets it finish (PartnerWorkTracker).
 */
@Injectable()
export class PartnerEnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly work: PartnerWorkTracker) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    if (!isPartnerPath(req.path)) {
      return next.handle();
    }
    const res = context.switchToHttp().getResponse<Response>();
    const work = lastValueFrom(next.handle(), { defaultValue: undefined });
    this.work.handling(req, work);
    const deadline = currentDeadline();
    return from(
      (deadline ? settleByDeadline(work, deadline, req) : work).then((result: unknown) => {
        res.locals.errorCode = '0';
        return { ERRORCODE: '0', RESULT: result };
      }),
    );
  }
}
