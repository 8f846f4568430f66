import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * The budget, from the request's arrival. The margins are for what comes after the server's answer
 * (accepting and parsing the request, event-loop lag under load, the network): under 240 concurrent joins on
 * a busy 2-core machine, answers the service gave at 4.1 s reached the client after up to 5 s.
 */
/** No request commits its first change later than this; COMMIT and the answer must fit in what is left. */
export const COMMIT_DEADLINE_MS = 3500;
/** A handler that has committed nothing by now is abandoned and answered ME01022 (nothing changed). */
export const HANDLER_DEADLINE_MS = 3800;
/** A handler that committed but has not returned by now is answered anyway: the 5 s limit wins. */
export const FINAL_ANSWER_MS = 4200;
/** Requests stuck before their handler (body, guards) are answered ME01022 at this point. */
export const LAST_RESORT_MS = 4400;

/**
 * The time budget of one partner request, carried through its async work by AsyncLocalStorage so the
 * transaction hooks (CommitDeadlineSubscriber) can see it without every service passing it on.
 *
 * The first commit of a request is its point of no return: before it, passing the deadline (or being
 * abandoned by the interceptor) refuses the commit, so the change rolls back; after it, the answer is
 * owed the success, and later commits of the same request (write-backs, compensations) are not refused.
 */
export class RequestDeadline {
  private abandonedFlag = false;
  private commitsInFlight = 0;
  private committedFlag = false;

  constructor(readonly startedAt: number = Date.now()) {}

  /** True once a commit has started or finished: the change may be (or is) durable. */
  get mayHaveCommitted(): boolean {
    return this.committedFlag || this.commitsInFlight > 0;
  }

  msUntil(offsetMs: number): number {
    return Math.max(0, this.startedAt + offsetMs - Date.now());
  }

  /**
   * Whether a transaction may start now: not for a request already answered, nor one past its commit
   * deadline (it could not commit anyway) unless it has committed before (write-backs, compensations).
   */
  mayStartTransaction(): boolean {
    return this.mayHaveCommitted || (!this.abandonedFlag && Date.now() - this.startedAt <= COMMIT_DEADLINE_MS);
  }

  /** Called synchronously right before COMMIT; false means roll back instead. */
  beginCommit(): boolean {
    if (!this.mayHaveCommitted && (this.abandonedFlag || Date.now() - this.startedAt > COMMIT_DEADLINE_MS)) {
      return false;
    }
    this.commitsInFlight++;
    return true;
  }

  endCommit(committed: boolean): void {
    this.commitsInFlight = Math.max(0, this.commitsInFlight - 1);
    this.committedFlag ||= committed;
  }

  /** The answer has been given without the handler's result: nothing may commit for it any more. */
  abandon(): void {
    this.abandonedFlag = true;
  }
}

const storage = new AsyncLocalStorage<RequestDeadline>();

export function runWithDeadline<T>(deadline: RequestDeadline, fn: () => T): T {
  return storage.run(deadline, fn);
}

/** The deadline of the partner request this code runs for, if any (queue workers have none). */
export function currentDeadline(): RequestDeadline | undefined {
  return storage.getStore();
}
