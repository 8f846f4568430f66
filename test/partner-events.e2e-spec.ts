import { computeSign } from '../src/common/signature/sign';
import { PARTNER_EVENTS } from '../src/partner-events/partner-event.types';
import { eventually, FakeHttpServer, RecordedRequest, sleep } from './utils/fake-http-server';
import { TestAccount, TestPartnerApp } from './utils/fixtures';
import { MicroClient } from './utils/micro-channel-client';
import { MICRO_CATALOG, SecretWorld } from './utils/secret-channel-world';

const ATTEMPTS = 3;
const BACKOFF_MS = 300;

/** The form fields of a delivery, in the names of API.md 12. */
const FIELDS = [
  'event',
  'eventID',
  'occurredAt',
  'channelNumber',
  'actorAccountID',
  'subjectAccountID',
  'data',
  'appKey',
  'sign',
];

describe('partner events: webhooks (e2e)', () => {
  let w: SecretWorld;
  let receiver: FakeHttpServer;
  let owner: TestAccount;
  let member: TestAccount;
  let other: TestAccount;

  beforeAll(async () => {
    receiver = await FakeHttpServer.start();
    w = await SecretWorld.start({
      OUTBOUND_ALLOW_PRIVATE: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_ATTEMPTS: String(ATTEMPTS),
      WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
    });
  });
  afterAll(async () => {
    await w.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await w.reset();
    receiver.reset(() => ({ status: 200, body: 'ok' }));
    [owner, member, other] = await Promise.all([w.account(), w.account(), w.account()]);
  });
  // Nothing of one test may still be on its way when the next one empties the tables.
  afterEach(async () => {
    await eventually(
      () => w.query<{ n: string }>("SELECT COUNT(*) AS n FROM webhook_delivery WHERE status = 'pending'"),
      ([{ n }]) => Number(n) === 0,
      20000,
    );
  });

  const subscribe = (app: TestPartnerApp, events: string[], path = '/events') =>
    w.client.admin('PUT', `/admin/apps/${app.appKey}/webhook`, { url: `${receiver.baseUrl}${path}`, events });
  const deliveriesOf = (app: TestPartnerApp, query = '') =>
    w.client.admin('GET', `/admin/apps/${app.appKey}/webhook/deliveries${query}`);
  const on = (path: string) => (r: RecordedRequest) => r.path === path;
  const ok = async (res: Promise<{ body: { ERRORCODE: string } }>) => expect((await res).body.ERRORCODE).toBe('0');

  describe('admin webhook routes', () => {
    it('should create, read, replace and delete the subscription of an app', async () => {
      const put = await subscribe(w.partner, ['*']);
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ appKey: w.partner.appKey, url: `${receiver.baseUrl}/events`, events: ['*'] });
      const replaced = await subscribe(w.partner, ['secret_channel.created', 'invitation.accepted'], '/v2');
      expect(replaced.body.events).toEqual(['secret_channel.created', 'invitation.accepted']);
      const got = await w.client.admin('GET', `/admin/apps/${w.partner.appKey}/webhook`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(replaced.body);
      const deleted = await w.client.admin('DELETE', `/admin/apps/${w.partner.appKey}/webhook`);
      expect(deleted.status).toBe(204);
      expect((await w.client.admin('GET', `/admin/apps/${w.partner.appKey}/webhook`)).status).toBe(404);
      expect((await w.client.admin('DELETE', `/admin/apps/${w.partner.appKey}/webhook`)).status).toBe(404);
      expect((await deliveriesOf(w.partner)).body).toEqual({ list: [] });
    });

    it('should refuse URLs that are not http(s) or reach loopback, private or metadata addresses, with 400 naming url', async () => {
      for (const url of [
        'ftp://127.0.0.1/hook',
        'http://localhost:9/hook',
        'http://10.1.2.3/hook',
        'http://169.254.169.254/latest',
        'http://[::1]:9/hook',
        '',
      ]) {
        const res = await w.client.admin('PUT', `/admin/apps/${w.partner.appKey}/webhook`, { url, events: ['*'] });
        expect([url, res.status, Object.keys(res.body.errors ?? {})]).toEqual([url, 400, ['url']]);
      }
      expect((await w.client.admin('GET', `/admin/apps/${w.partner.appKey}/webhook`)).status).toBe(404);
    });

    it('should refuse unknown, empty, repeated or non-list events with 400 naming events', async () => {
      for (const events of [['secret_channel.exploded'], [], '*', ['*', '*']]) {
        const res = await w.client.admin('PUT', `/admin/apps/${w.partner.appKey}/webhook`, {
          url: `${receiver.baseUrl}/events`,
          events,
        });
        expect([events, res.status, Object.keys(res.body.errors ?? {})]).toEqual([events, 400, ['events']]);
      }
    });

    it('should answer 404 for an unknown app, 400 for a bad status filter and 401 without the admin token', async () => {
      expect(
        (await w.client.admin('PUT', '/admin/apps/1234/webhook', { url: `${receiver.baseUrl}/e`, events: ['*'] }))
          .status,
      ).toBe(404);
      expect((await w.client.admin('GET', '/admin/apps/1234/webhook/deliveries')).status).toBe(404);
      const bad = await deliveriesOf(w.partner, '?status=lost');
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['status']);
      expect((await w.client.admin('GET', `/admin/apps/${w.partner.appKey}/webhook`, undefined, null)).status).toBe(
        401,
      );
    });
  });

  describe('deliveries', () => {
    it('should deliver every group-channel event, signed, to every subscribed app, with shared increasing eventIDs', async () => {
      const second = await w.fixtures.app();
      await subscribe(w.partner, ['*']);
      await subscribe(second, ['secret_channel.member_joined', 'secret_channel.member_quit'], '/second');
      const operator = await w.account(['operator']);
      const c = await w.apply(owner);
      await w.join(member, c.uniqueCode);
      await w.join(other, c.uniqueCode);
      await ok(
        w.call('setSecretChannelAdmin', owner, {
          channelNumber: c.channelNumber,
          userAccountID: member.accountID,
          isAdmin: '1',
        }),
      );
      await ok(
        w.call('manageSecretChannelUsers', member, {
          channelNumber: c.channelNumber,
          infoType: '2',
          curStatus: '2',
          userAccountID: other.accountID,
        }),
      );
      await ok(w.call('quitSecretChannel', other, { channelNumber: c.channelNumber }));
      await ok(
        w.call('transferSecretChannel', owner, { channelNumber: c.channelNumber, receiverAccountID: member.accountID }),
      );
      await ok(
        w.call('manageSecretChannelUsers', operator, {
          channelNumber: c.channelNumber,
          infoType: '1',
          curStatus: '2',
          userAccountID: owner.accountID,
        }),
      );
      await ok(
        w.call('manageSecretChannelUsers', operator, {
          channelNumber: c.channelNumber,
          infoType: '1',
          curStatus: '1',
          userAccountID: owner.accountID,
        }),
      );
      await ok(w.call('dissolveSecretChannel', member, { channelNumber: c.channelNumber }));
      const verified = await w.apply(other, { channelName: '审核频道', isVerify: '1' });
      await w.join(owner, verified.uniqueCode);

      const expected = [
        ['secret_channel.created', owner.accountID, ''],
        ['secret_channel.member_joined', member.accountID, member.accountID],
        ['secret_channel.member_joined', other.accountID, other.accountID],
        ['secret_channel.member_role_changed', owner.accountID, member.accountID],
        ['secret_channel.member_status_changed', member.accountID, other.accountID],
        ['secret_channel.member_quit', other.accountID, other.accountID],
        ['secret_channel.transferred', owner.accountID, member.accountID],
        ['secret_channel.status_changed', operator.accountID, ''],
        ['secret_channel.status_changed', operator.accountID, ''],
        ['secret_channel.dissolved', member.accountID, ''],
      ];
      const first = await receiver.waitFor(expected.length + 2, on('/events'), 15000);
      const ofA = first.filter((r) => r.form.channelNumber === c.channelNumber);
      expect(ofA.map((r) => [r.form.event, r.form.actorAccountID, r.form.subjectAccountID])).toEqual(expected);
      const ofB = first.filter((r) => r.form.channelNumber === verified.channelNumber);
      expect(ofB.map((r) => r.form.event)).toEqual(['secret_channel.created', 'secret_channel.join_requested']);
      const ids = ofA.map((r) => Number(r.form.eventID));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(first.map((r) => r.form.eventID)).size).toBe(first.length);
      for (const r of first) {
        expect(Object.keys(r.form).sort()).toEqual([...FIELDS].sort());
        expect(r.form.appKey).toBe(w.partner.appKey);
        expect(r.form.sign).toBe(computeSign(r.form, w.partner.secret));
        expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      }
      const created = ofA[0].form;
      expect(Math.abs(Number(created.occurredAt) - Date.now() / 1000)).toBeLessThan(30);
      expect(JSON.parse(created.data)).toMatchObject({
        before: null,
        after: { channelNumber: c.channelNumber, ownerAccountID: owner.accountID },
      });
      expect(JSON.parse(ofA[4].form.data)).toEqual({
        before: { memberStatus: 1, active: true },
        after: { memberStatus: 2, active: true },
      });

      // The second app gets only its two kinds, with the same eventIDs, signed with its own secret.
      const second2 = await receiver.waitFor(3, on('/second'));
      expect(second2.map((r) => r.form.event)).toEqual([
        'secret_channel.member_joined',
        'secret_channel.member_joined',
        'secret_channel.member_quit',
      ]);
      expect(second2.map((r) => r.form.eventID)).toEqual([ofA[1], ofA[2], ofA[5]].map((r) => r.form.eventID));
      for (const r of second2) {
        expect(r.form.appKey).toBe(second.appKey);
        expect(r.form.sign).toBe(computeSign(r.form, second.secret));
        expect(r.form.sign).not.toBe(computeSign(r.form, w.partner.secret));
      }
      await sleep(500);
      expect(receiver.requests).toHaveLength(first.length + second2.length);

      const listed = await eventually(
        () => deliveriesOf(w.partner),
        (res) => (res.body.list as Array<{ status: string }>).every((d) => d.status === 'delivered'),
      );
      expect(listed.status).toBe(200);
      expect(listed.body.list).toHaveLength(12);
      expect(listed.body.list[0]).toEqual({
        eventID: ofB[1].form.eventID,
        event: 'secret_channel.join_requested',
        channelNumber: verified.channelNumber,
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
        lastError: '',
        createdAt: expect.any(Number),
        deliveredAt: expect.any(Number),
      });
      expect((await deliveriesOf(w.partner, '?limit=2&status=delivered')).body.list).toHaveLength(2);
      expect((await deliveriesOf(w.partner, '?status=failed')).body.list).toEqual([]);
    });

    it('should deliver micro-channel decisions and invitation acceptances', async () => {
      await subscribe(w.partner, [
        'micro_channel.application_decided',
        'micro_channel.edit_decided',
        'micro_channel.status_changed',
        'invitation.accepted',
      ]);
      const reviewer = await w.account(['reviewer']);
      const micro = new MicroClient(w.client, w.partner);
      const applyIdx = await micro.applyOk(owner, 'FMevents1', { channelCatalogID: MICRO_CATALOG });
      expect(await micro.checkApply(reviewer, applyIdx, '2')).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const editIdx = await micro.modifyOk(owner, 'FMevents1', { channelIntroduction: '新的介绍文字' });
      const base = { accountID: owner.accountID, channelNumber: 'FMevents1' };
      expect(
        (await micro.decide(reviewer, { ...base, applyIdx: editIdx, checkStatus: '1', checkRemark: '不行' })).ERRORCODE,
      ).toBe('0');
      expect((await micro.decide(reviewer, { ...base, checkStatus: '3' })).ERRORCODE).toBe('0');
      // An invitation as inviteUserJoin stores it, accepted through the partner route.
      await w.query(
        `INSERT INTO invitation (batch_id, app_key, sender_account_id, receiver_account_id, temp_channel_id, multimedia_url, callback_url, delivery_state)
         VALUES (?, ?, ?, ?, '012345', 'http://media.example.com/v.amr', ?, 'sent')`,
        ['b'.repeat(32), w.partner.appKey, other.accountID, member.accountID, `${receiver.baseUrl}/callback`],
      );
      const accepted = await w.call('acceptInvitation', member, { tempChannelID: '012345' });
      expect(accepted.body.ERRORCODE).toBe('0');

      // Two lanes (the micro channel, the temp channel): in eventID order within each, in any order between them.
      const got = (await receiver.waitFor(4, on('/events'), 15000)).sort(
        (x, y) => Number(x.form.eventID) - Number(y.form.eventID),
      );
      expect(
        got.map((r) => [r.form.event, r.form.channelNumber, r.form.actorAccountID, r.form.subjectAccountID]),
      ).toEqual([
        ['micro_channel.application_decided', 'FMevents1', reviewer.accountID, owner.accountID],
        ['micro_channel.edit_decided', 'FMevents1', reviewer.accountID, owner.accountID],
        ['micro_channel.status_changed', 'FMevents1', reviewer.accountID, ''],
        ['invitation.accepted', '012345', member.accountID, member.accountID],
      ]);
      expect(JSON.parse(got[0].form.data)).toMatchObject({
        before: { applyIdx, status: 'pending' },
        after: { applyIdx, status: 'approved' },
      });
      expect(JSON.parse(got[1].form.data).after).toMatchObject({
        applyIdx: editIdx,
        status: 'rejected',
        checkRemark: '不行',
      });
      expect(JSON.parse(got[3].form.data).after).toMatchObject({
        invitationID: accepted.body.RESULT.invitationID,
        senderAccountID: other.accountID,
      });
      for (const r of got) {
        expect(r.form.sign).toBe(computeSign(r.form, w.partner.secret));
      }
      await receiver.waitFor(1, on('/callback'));
    });

    it('should retry with exponential backoff, holding back later events of that channel only', async () => {
      await subscribe(w.partner, ['*']);
      let failures = 0;
      receiver.reset((r) => {
        if (r.form.event === 'secret_channel.created' && r.form.channelNumber === '000000001' && failures < 2) {
          failures++;
          return { status: 500, body: 'down' };
        }
        return { status: 200 };
      });
      const a = await w.apply(owner);
      expect(a.channelNumber).toBe('000000001');
      await w.join(member, a.uniqueCode);
      const b = await w.apply(other, { channelName: '另一个频道' });
      const [createdA, ...rest] = await receiver.waitFor(5, on('/events'), 15000);
      const ofA = [createdA, ...rest].filter((r) => r.form.channelNumber === a.channelNumber);
      expect(ofA.map((r) => r.form.event)).toEqual([
        'secret_channel.created',
        'secret_channel.created',
        'secret_channel.created',
        'secret_channel.member_joined',
      ]);
      // 300 ms, then 600 ms between the attempts (the relay ticks every 250 ms, so allow a little either side).
      expect(ofA[1].at - ofA[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 20);
      expect(ofA[2].at - ofA[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 20);
      expect(ofA[3].at).toBeGreaterThanOrEqual(ofA[2].at);
      // The other channel was not held back by channel A's retries.
      const createdB = receiver.requests.find((r) => r.form.channelNumber === b.channelNumber)!;
      expect(createdB.at).toBeLessThan(ofA[2].at);
      const list = (await deliveriesOf(w.partner)).body.list as Array<Record<string, unknown>>;
      expect(list.find((d) => d.eventID === ofA[0].form.eventID)).toMatchObject({
        status: 'delivered',
        attempts: 3,
        lastStatusCode: 200,
        lastError: '',
      });
    });

    it('should mark a delivery failed after WEBHOOK_ATTEMPTS, then let the channel go on', async () => {
      await subscribe(w.partner, ['*']);
      receiver.reset((r) => (r.form.event === 'secret_channel.created' ? { status: 503 } : { status: 200 }));
      const c = await w.apply(owner);
      await w.join(member, c.uniqueCode);
      const got = await receiver.waitFor(ATTEMPTS + 1, on('/events'), 15000);
      expect(got.map((r) => r.form.event)).toEqual([
        ...Array<string>(ATTEMPTS).fill('secret_channel.created'),
        'secret_channel.member_joined',
      ]);
      const failed = await deliveriesOf(w.partner, '?status=failed');
      expect(failed.body.list).toEqual([
        expect.objectContaining({
          event: 'secret_channel.created',
          status: 'failed',
          attempts: ATTEMPTS,
          lastStatusCode: 503,
          lastError: 'answered HTTP 503',
          deliveredAt: null,
        }),
      ]);
      await sleep(BACKOFF_MS * 4);
      expect(receiver.requests).toHaveLength(ATTEMPTS + 1);
    });

    it('should take a timeout as a failure and retry it', async () => {
      await subscribe(w.partner, ['secret_channel.created']);
      let first = true;
      receiver.reset(() => {
        const slow = first;
        first = false;
        return slow ? { status: 200, delayMs: 6000 } : { status: 200 };
      });
      await w.apply(owner);
      await receiver.waitFor(2, on('/events'), 15000);
      // The receiver records a request before it answers: the outcome is written a moment later.
      const [d] = await eventually(
        async () => (await deliveriesOf(w.partner)).body.list as Array<{ status: string }>,
        ([first]) => first?.status !== 'pending',
      );
      expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
    });

    it('should make no new deliveries after DELETE', async () => {
      await subscribe(w.partner, ['*']);
      const c = await w.apply(owner);
      await receiver.waitFor(1, on('/events'));
      expect((await w.client.admin('DELETE', `/admin/apps/${w.partner.appKey}/webhook`)).status).toBe(204);
      await w.join(member, c.uniqueCode);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(1);
      const [{ n }] = await w.query<{ n: string }>('SELECT COUNT(*) AS n FROM webhook_delivery');
      expect(Number(n)).toBe(1);
      const [{ relayed }] = await w.query<{ relayed: string }>(
        'SELECT COUNT(*) AS relayed FROM partner_event WHERE relayed_at IS NOT NULL',
      );
      expect(Number(relayed)).toBe(2);
    });

    it('should name every event of the contract in PARTNER_EVENTS', () => {
      expect(PARTNER_EVENTS).toHaveLength(13);
    });
  });
});
