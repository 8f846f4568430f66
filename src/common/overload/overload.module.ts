import { Module } from '@nestjs/common';
import { CommitDeadlineSubscriber } from './commit-deadline.subscriber';
import { InFlightLimitMiddleware } from './in-flight-limit.middleware';
import { PartnerWorkTracker } from './partner-work.tracker';

/**
 * Honest under overload (API.md part two): the in-flight bound (ME01028 before any work), the request
 * deadline carried in AsyncLocalStorage, and the transaction hooks that roll back a change whose request
 * missed its deadline, and the tracker that lets running handlers finish when the instance stops. AppModule wires
 * the middleware; PartnerEnvelopeInterceptor applies the deadline (settleByDeadline) and tracks each handler.
 */
@Module({
  providers: [CommitDeadlineSubscriber, InFlightLimitMiddleware, PartnerWorkTracker],
  exports: [InFlightLimitMiddleware, PartnerWorkTracker],
})
export class OverloadModule {}
