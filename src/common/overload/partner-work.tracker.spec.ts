import { PartnerWorkTracker } from './partner-work.tracker';
import { FINAL_ANSWER_MS } from './request-deadline';

describe(PartnerWorkTracker.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('should not hold the stop for a request refused before its handler ran', async () => {
    const tracker = new PartnerWorkTracker();
    const request = {};
    tracker.admitted(request);
    tracker.answered(request);
    const started = Date.now();
    await tracker.onApplicationShutdown();
    // Held, it would wait FINAL_ANSWER_MS; a bound far below that keeps a busy machine's pauses out of the verdict.
    expect(Date.now() - started).toBeLessThan(FINAL_ANSWER_MS / 4);
  });

  it('should hold the stop until a running handler settles, even after its request was answered', async () => {
    const tracker = new PartnerWorkTracker();
    const request = {};
    const work = deferred();
    tracker.admitted(request);
    tracker.handling(request, work.promise);
    // The deadline answered ME01022 through the filter while the handler still runs.
    tracker.answered(request);
    let stopped = false;
    const stopping = tracker.onApplicationShutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    work.reject(new Error('the handler failed'));
    await stopping;
    expect(stopped).toBe(true);
  });

  it('should hold the stop for an admitted request whose pipeline has not ended', async () => {
    const tracker = new PartnerWorkTracker();
    const request = {};
    tracker.admitted(request);
    let stopped = false;
    const stopping = tracker.onApplicationShutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    tracker.answered(request);
    await stopping;
  });

  it('should give up waiting after FINAL_ANSWER_MS', async () => {
    jest.useFakeTimers();
    const tracker = new PartnerWorkTracker();
    const request = {};
    tracker.admitted(request);
    tracker.handling(request, new Promise(() => undefined));
    let stopped = false;
    const stopping = tracker.onApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(FINAL_ANSWER_MS - 100);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    await stopping;
    expect(stopped).toBe(true);
  });
});
