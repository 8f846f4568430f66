import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { FINAL_ANSWER_MS } from './request-deadline';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The partner requests still being worked on, so that a stopping instance lets them finish before MySQL and
 * Redis close. Nest closes the HTTP server first, but that waits only for open connections: a request whose
 * client has gone (a balancer's timeout, a device that lost its signal) keeps running with no connection left,
 * and used to fail halfway when the pool closed under it ("Pool is closed").
 *
 * A request is running from its admission (InFlightLimitMiddleware) until its pipeline ends: in the exception
 * filter when a check refused it before its handler ran, else when its handler's work settles
 * (PartnerEnvelopeInterceptor), which may be after the answer when the deadline answered first.
 *
 * onApplicationShutdown runs after Nest has closed the HTTP server and before the global modules (TypeORM's
 * DataSource, Redis) close theirs: Nest calls the hooks of modules nearer the root first, and the global
 * modules are the farthest, since every module imports them.
 */
@Injectable()
export class PartnerWorkTracker implements OnApplicationShutdown {
  private readonly logger = new Logger(PartnerWorkTracker.name);
  /** Each running request, with its handler's work once the handler has started. */
  private readonly running = new Map<object, Promise<unknown> | null>();

  admitted(request: object): void {
    this.running.set(request, null);
  }

  /** The handler runs: the request is over when `work` settles, whatever was answered meanwhile. */
  handling(request: object, work: Promise<unknown>): void {
    this.running.set(request, work);
    const over = (): void => void this.running.delete(request);
    work.then(over, over);
  }

  /** The exception filter answered: over, unless a handler is still at work for the request. */
  answered(request: object): void {
    if (this.running.get(request) === null) {
      this.running.delete(request);
    }
  }

  /**
   * Waits for the running requests, at most FINAL_ANSWER_MS: by then the request deadline has refused every
   * commit of a request that started before the stop, so what still runs can only be abandoned work.
   */
  async onApplicationShutdown(): Promise<void> {
    const count = this.running.size;
    if (count === 0) {
      return;
    }
    const until = Date.now() + FINAL_ANSWER_MS;
    while (this.running.size > 0 && Date.now() < until) {
      await sleep(20);
    }
    this.logger.log({ msg: 'waited for running partner requests', requests: count, left: this.running.size });
  }
}
