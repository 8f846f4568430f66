import { COMMIT_DEADLINE_MS, currentDeadline, RequestDeadline, runWithDeadline } from './request-deadline';

describe(RequestDeadline.name, () => {
  const at = (ageMs: number): RequestDeadline => new RequestDeadline(Date.now() - ageMs);

  it('should let a first commit start before the commit deadline and refuse it after', () => {
    expect(at(COMMIT_DEADLINE_MS - 100).beginCommit()).toBe(true);
    expect(at(COMMIT_DEADLINE_MS + 100).beginCommit()).toBe(false);
  });

  it('should refuse every first commit and transaction of an abandoned request', () => {
    const deadline = at(0);
    deadline.abandon();
    expect(deadline.mayStartTransaction()).toBe(false);
    expect(deadline.beginCommit()).toBe(false);
  });

  it('should not refuse later commits of a request that has committed (write-backs, compensations)', () => {
    const deadline = at(0);
    expect(deadline.beginCommit()).toBe(true);
    deadline.endCommit(true);
    deadline.abandon();
    expect(deadline.mayHaveCommitted).toBe(true);
    expect(deadline.mayStartTransaction()).toBe(true);
    expect(deadline.beginCommit()).toBe(true);
  });

  it('should count a commit in flight as possibly committed until it ends', () => {
    const deadline = at(0);
    expect(deadline.beginCommit()).toBe(true);
    expect(deadline.mayHaveCommitted).toBe(true);
    deadline.endCommit(false);
    expect(deadline.mayHaveCommitted).toBe(false);
  });

  it('should carry the deadline through awaits of the request only', async () => {
    const deadline = at(0);
    const seen = await runWithDeadline(deadline, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return currentDeadline();
    });
    expect(seen).toBe(deadline);
    expect(currentDeadline()).toBeUndefined();
  });
});
