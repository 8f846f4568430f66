import { computeSign } from '../src/common/signature/sign';
import { createTestApp, TestApp } from './utils/create-test-app';
import { eventually, FakeHttpServer, RecordedRequest, sleep } from './utils/fake-http-server';
import { TestPartnerApp } from './utils/fixtures';
import { SecretWorld } from './utils/secret-channel-world';
import { TcpProxy } from './utils/tcp-proxy';

/** The worker's Redis goes through this port (from this suite's range), so the test can cut and restore it. */
const WORKER_REDIS_PORT = 17410;

/**
 * The outbox proof (API.md 12): changes commit through an API process while the two workers that relay and
 * deliver events cannot reach Redis; once Redis is back, every event arrives exactly once per subscribed
 * app, in eventID order per channel, with both workers relaying and delivering at the same time. The API process never relays anything itself (APP_ROLE=api), so it
 * also stands for a process that died right after its commits.
 */
describe('partner events: transactional outbox (e2e)', () => {
  let receiver: FakeHttpServer;
  let proxy: TcpProxy;
  let api: TestApp;
  let worker: TestApp;
  let worker2: TestApp;
  let w: SecretWorld;
  let cut = false;

  beforeAll(async () => {
    receiver = await FakeHttpServer.start();
    proxy = new TcpProxy('127.0.0.1', 6379);
    await proxy.start(WORKER_REDIS_PORT);
    const outbound = { OUTBOUND_ALLOW_PRIVATE: 'false', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' };
    api = await createTestApp({ ...outbound, APP_ROLE: 'api' });
    worker = await createTestApp({ ...outbound, APP_ROLE: 'worker', REDIS_PORT: String(WORKER_REDIS_PORT) });
    worker2 = await createTestApp({ ...outbound, APP_ROLE: 'worker', REDIS_PORT: String(WORKER_REDIS_PORT) });
    w = new SecretWorld(api);
    await w.reset();
  });
  afterAll(async () => {
    // A failed run may have left Redis cut: the worker closes cleanly only with it back.
    if (cut) {
      await proxy.restore();
    }
    await worker.close();
    await worker2.close();
    await api.close();
    await proxy.stop();
    await receiver.close();
  });

  it('should deliver every event committed while Redis was unreachable, once per app and in order, when it is back', async () => {
    const second: TestPartnerApp = await w.fixtures.app();
    const hook = (app: TestPartnerApp, path: string) =>
      w.client.admin('PUT', `/admin/apps/${app.appKey}/webhook`, { url: `${receiver.baseUrl}${path}`, events: ['*'] });
    expect((await hook(w.partner, '/first')).status).toBe(200);
    expect((await hook(second, '/second')).status).toBe(200);
    const [owner, a1, a2, a3, b1] = await Promise.all(Array.from({ length: 5 }, () => w.account()));

    await proxy.refuse();
    cut = true;
    const ok = async (res: Promise<{ body: { ERRORCODE: string } }>) => expect((await res).body.ERRORCODE).toBe('0');
    const chA = await w.apply(owner);
    const chB = await w.apply(owner, { channelName: '第二个频道' });
    for (const who of [a1, a2, a3]) {
      await w.join(who, chA.uniqueCode);
    }
    await w.join(b1, chB.uniqueCode);
    await ok(
      w.call('manageSecretChannelUsers', owner, {
        channelNumber: chA.channelNumber,
        infoType: '2',
        curStatus: '2',
        userAccountID: a2.accountID,
        muteSeconds: '600',
      }),
    );
    await ok(w.call('quitSecretChannel', a1, { channelNumber: chA.channelNumber }));
    await ok(
      w.call('setSecretChannelAdmin', owner, {
        channelNumber: chB.channelNumber,
        userAccountID: b1.accountID,
        isAdmin: '1',
      }),
    );
    const committed = await w.query<{ id: string; event: string; channelNumber: string }>(
      'SELECT id, event, channel_number AS channelNumber FROM partner_event ORDER BY id',
    );
    expect(committed).toHaveLength(9);

    // The relay goes on fanning out from MySQL, but nothing can be queued, so nothing is sent.
    await eventually(
      () => w.query<{ n: string }>('SELECT COUNT(*) AS n FROM webhook_delivery'),
      ([{ n }]) => Number(n) === 18,
    );
    await sleep(1500);
    expect(receiver.requests).toHaveLength(0);

    await proxy.restore();
    cut = false;
    await receiver.waitFor(18, () => true, 20000);
    await sleep(1000);
    expect(receiver.requests).toHaveLength(18);
    for (const [path, app] of [
      ['/first', w.partner],
      ['/second', second],
    ] as Array<[string, TestPartnerApp]>) {
      const got: RecordedRequest[] = receiver.on(path);
      // Exactly once each: the same eventIDs as the outbox, no repeats.
      expect(got.map((r) => r.form.eventID).sort((x, y) => Number(x) - Number(y))).toEqual(committed.map((e) => e.id));
      for (const channel of [chA.channelNumber, chB.channelNumber]) {
        const lane = got.filter((r) => r.form.channelNumber === channel);
        expect(lane.map((r) => r.form.eventID)).toEqual(
          committed.filter((e) => e.channelNumber === channel).map((e) => e.id),
        );
      }
      for (const r of got) {
        expect(r.form.appKey).toBe(app.appKey);
        expect(r.form.sign).toBe(computeSign(r.form, app.secret));
        expect(r.form.event).toBe(committed.find((e) => e.id === r.form.eventID)!.event);
      }
    }
    const states = await eventually(
      () => w.query<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_delivery'),
      (rows) => rows.every((r) => r.status !== 'pending'),
    );
    expect(states.every((s) => s.status === 'delivered' && s.attempts === 1)).toBe(true);
  });
});
