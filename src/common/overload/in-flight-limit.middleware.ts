import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { AppConfig } from '../../config/configuration';
import { sendPartnerError } from '../filters/all-exceptions.filter';
import { PartnerRequest } from '../partner/partner-request';
import { PartnerWorkTracker } from './partner-work.tracker';
import { LAST_RESORT_MS, RequestDeadline, runWithDeadline } from './request-deadline';

/**
 * Bounds the partner requests one process works on at once (MAX_IN_FLIGHT). Past the bound a request is
 * answered ME01028 at once, before its body is read or anything is looked up, so an overloaded instance
 * stays fast and honest instead of queueing work until every deadline passes (API.md part two).
 * An admitted request gets its RequestDeadline, which the rest of the pipeline reads from AsyncLocalStorage.
 */
@Injectable()
export class InFlightLimitMiddleware implements NestMiddleware {
  private inFlight = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly work: PartnerWorkTracker,
  ) {}

  use(req: PartnerRequest, res: Response, next: NextFunction): void {
    if (this.inFlight >= this.config.overload.maxInFlight) {
      // Node discards the unread body after the answer, keeping the connection usable.
      sendPartnerError(res, 'ME01028');
      return;
    }
    this.inFlight++;
    this.work.admitted(req);
    const deadline = new RequestDeadline();
    // A last resort for a request stuck before its handler (body, guards): settleByDeadline (in the envelope interceptor) answers
    // every request that reached its handler in time, this answers the rest.
    const lastResort = setTimeout(() => {
      if (!res.headersSent && !deadline.mayHaveCommitted) {
        deadline.abandon();
        sendPartnerError(res, 'ME01022');
      }
    }, LAST_RESORT_MS);
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        clearTimeout(lastResort);
        this.inFlight--;
      }
    };
    res.once('finish', release);
    res.once('close', release);
    runWithDeadline(deadline, next);
  }
}
