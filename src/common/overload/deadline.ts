import { Logger } from '@nestjs/common';
import { PartnerError } from '../errors/partner-error';
import { PartnerRequest } from '../partner/partner-request';
import { FINAL_ANSWER_MS, HANDLER_DEADLINE_MS, RequestDeadline } from './request-deadline';

type Outcome = { done: true; value: unknown } | { done: true; error: unknown } | { done: false };

function within(work: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      (value): Outcome => ({ done: true, value }),
      (error: unknown): Outcome => ({ done: true, error }),
    ),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ done: false }), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function unwrap(outcome: Outcome & { done: true }): unknown {
  if ('error' in outcome) {
    throw outcome.error;
  }
  return outcome.value;
}

const logger = new Logger('RequestDeadline');

/**
 * Bounds a partner handler's work by its request's deadline (measured from arrival, not from here):
 * - done by HANDLER_DEADLINE_MS: its own answer;
 * - not done and nothing committed: abandoned (any later commit of it rolls back) and answered ME01022,
 *   which (like every error answer) means nothing changed;
 * - not done but a commit has started: the success is owed, so it waits until FINAL_ANSWER_MS for it.
 */
export async function settleByDeadline(
  work: Promise<unknown>,
  deadline: RequestDeadline,
  req: PartnerRequest,
): Promise<unknown> {
  // The handler may still fail after we answered; that outcome is logged by the commit hook, not here.
  work.catch(() => undefined);
  const first = await within(work, deadline.msUntil(HANDLER_DEADLINE_MS));
  if (first.done) {
    return unwrap(first);
  }
  if (!deadline.mayHaveCommitted) {
    deadline.abandon();
    logger.warn({
      msg: 'handler past its deadline; abandoned, nothing committed',
      requestId: req.requestId,
      path: req.path,
    });
    throw new PartnerError('ME01022');
  }
  const last = await within(work, deadline.msUntil(FINAL_ANSWER_MS));
  if (last.done) {
    return unwrap(last);
  }
  deadline.abandon();
  logger.error({
    msg: 'handler committed but did not finish before the answer limit',
    requestId: req.requestId,
    path: req.path,
  });
  throw new PartnerError('ME01022');
}
