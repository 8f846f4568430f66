import { getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeSign } from '../src/common/signature/sign';
import { PartnerCallbackJob } from '../src/jobs/partner-callback/partner-callback.job';
import { PartnerCallbackProcessor } from '../src/jobs/partner-callback/partner-callback.processor';
import { PARTNER_CALLBACK_QUEUE, WEIBO_POST_QUEUE } from '../src/jobs/queues';
import { WeiboPostJob } from '../src/jobs/weibo-post/weibo-post.job';
import { WeiboPostProcessor } from '../src/jobs/weibo-post/weibo-post.processor';
import { WeiboPostProducer } from '../src/jobs/weibo-post/weibo-post.producer';
import { Invitation } from '../src/invite/entities/invitation.entity';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { eventually, FakeHttpServer, FakeReply, sleep } from './utils/fake-http-server';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { Envelope, HttpAnswer, multipart, PartnerClient } from './utils/partner-client';

const AMR = readFileSync(join(__dirname, 'fixtures', 'nihao.amr'));
const WEIBO_APP_KEY = '5555555555';
const WEIBO_APP_SECRET = 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12';
const WEIBO_PATH = '/weiboapi/v2/sendMultimediaPersonalWeibo';
const CALLBACK_PATH = '/inviteToTempChannelCallback';
const CALLBACK_QUERY = 'inviteAccountID=anjiklmkin&inviteTempChannelID=12349';
const SEED_BOUNDARY = '----WebKitFormBoundaryDcO1SS14074125403019190MTDfpuu1407412540kkU';
const INTERVAL_SECONDS = 2;
const ATTEMPTS = 3;
const BACKOFF_MS = 100;
const MIB = 1024 * 1024;

/** A valid AMR-NB file of exactly `size` bytes: the header, then 1-byte NO_DATA frames. */
function amrOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x7c);
  Buffer.from('#!AMR\n').copy(bytes);
  return bytes;
}

const json = (body: unknown): FakeReply => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

interface InvitationView {
  invitationID: string;
  batchID: string;
  appKey: string;
  senderAccountID: string;
  receiverAccountID: string;
  tempChannelID: string;
  multimediaURL: string;
  callbackURL: string;
  createdAt: number;
  delivery: { state: string; attempts: number; bizid: string | null; sentAt: number | null; lastError: string | null };
  acceptedAt: number | null;
  callback: { state: string; attempts: number; deliveredAt: number | null; lastError: string | null };
}

describe('invite (e2e)', () => {
  let weibo: FakeHttpServer;
  let media: FakeHttpServer;
  let partner: FakeHttpServer;
  let t: TestApp;
  let client: PartnerClient;
  let f: Fixtures;
  let bizSeq = 0;

  const weiboOk = (): FakeReply => json({ ERRORCODE: '0', RESULT: { bizid: `biz-${++bizSeq}` } });
  const mediaRoutes: Record<string, () => FakeReply> = {
    '/voice.amr': () => ({ headers: { 'Content-Type': 'audio/amr' }, body: AMR }),
    '/voice-redirect': () => ({ status: 302, headers: { Location: '/voice.amr' } }),
    '/not-amr.txt': () => ({ body: 'this is not audio' }),
    '/amr-wb.amr': () => ({ body: Buffer.concat([Buffer.from('#!AMR-WB\n'), AMR.subarray(6)]) }),
    '/truncated.amr': () => ({ body: Buffer.concat([AMR, Buffer.from([0x3c, 0x01, 0x02, 0x03])]) }), // an MR122 frame cut short
    '/header-only.amr': () => ({ body: Buffer.from('#!AMR\n') }),
    '/missing.amr': () => ({ status: 404, body: 'not found' }),
    '/server-error.amr': () => ({ status: 500, body: AMR }),
    '/exactly-2mib.amr': () => ({ body: amrOfSize(2 * MIB) }),
    '/too-big.amr': () => ({ body: amrOfSize(2 * MIB + 1) }),
    '/slow.amr': () => ({ delayMs: 4000, body: AMR }),
    '/slow-body.amr': () => ({ slowBody: true, delayMs: 4000, body: AMR }),
    '/to-loopback-name': () => ({ status: 302, headers: { Location: `http://localhost:${media.port}/voice.amr` } }),
  };
  const voiceUrl = (): string => `${media.baseUrl}/voice.amr`;
  const callbackUrl = (): string => `${partner.baseUrl}${CALLBACK_PATH}?${CALLBACK_QUERY}`;

  beforeAll(async () => {
    weibo = await FakeHttpServer.start(weiboOk);
    media = await FakeHttpServer.start((r) => (mediaRoutes[r.path] ?? (() => ({ status: 404 })))());
    partner = await FakeHttpServer.start(() => ({ status: 200, body: 'ok' }));
    t = await createTestApp({
      WEIBO_API_URL: weibo.baseUrl,
      WEIBO_APP_KEY,
      WEIBO_APP_SECRET,
      OUTBOUND_ALLOW_PRIVATE: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      INVITE_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      WEIBO_POST_ATTEMPTS: String(ATTEMPTS),
      WEIBO_POST_BACKOFF_MS: String(BACKOFF_MS),
      PARTNER_CALLBACK_ATTEMPTS: String(ATTEMPTS),
      PARTNER_CALLBACK_BACKOFF_MS: String(BACKOFF_MS),
    });
    client = new PartnerClient(t.baseUrl);
    f = new Fixtures(client);
  });

  afterAll(async () => {
    await t.close();
    await Promise.all([weibo.close(), media.close(), partner.close()]);
  });

  beforeEach(async () => {
    await resetState(t);
    weibo.reset(weiboOk);
    media.reset();
    partner.reset(() => ({ status: 200, body: 'ok' }));
  });

  /** Lets every queued job of the test finish, so the next test's reset does not pull state from under it. */
  afterEach(async () => {
    for (const name of [WEIBO_POST_QUEUE, PARTNER_CALLBACK_QUEUE]) {
      const queue = t.app.get<Queue>(getQueueToken(name), { strict: false });
      await eventually(
        () => queue.getJobCounts(),
        (c) => c.waiting + c.active + c.delayed === 0,
        15000,
      );
    }
  });

  async function presence(account: string, body: Record<string, unknown>): Promise<void> {
    const res = await client.admin('PUT', `/admin/presence/${account}`, body);
    expect(res.status).toBe(200);
  }

  async function live(tempChannelID: string, isLive = true): Promise<void> {
    const res = await client.admin('PUT', `/admin/temp-channels/${tempChannelID}`, { live: isLive });
    expect(res.status).toBe(200);
  }

  function inviteParams(
    app: TestPartnerApp,
    sender: string,
    tempChannelID: string,
    overrides: Record<string, string | undefined> = {},
  ): Record<string, string> {
    const params: Record<string, string | undefined> = {
      appKey: app.appKey,
      accountID: sender,
      tempChannelID,
      multimediaURL: voiceUrl(),
      callbackURL: callbackUrl(),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
  }

  function invite(
    app: TestPartnerApp,
    params: Record<string, string>,
    asMultipart = true,
  ): Promise<HttpAnswer<Envelope>> {
    return client.post('inviteUserJoin', params, { secret: app.secret, multipart: asMultipart });
  }

  async function invitations(query = ''): Promise<{ total: number; items: InvitationView[] }> {
    const res = await client.admin<{ total: number; items: InvitationView[] }>('GET', `/admin/invitations${query}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function invitation(id: string): Promise<InvitationView> {
    const res = await client.admin<InvitationView>('GET', `/admin/invitations/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Waits until no invitation is still being posted to Weibo. */
  function settledInvitations(query = ''): Promise<{ total: number; items: InvitationView[] }> {
    return eventually(
      () => invitations(query),
      (r) => r.items.every((i) => i.delivery.state !== 'queued'),
    );
  }

  /** An inviting app, a sender in live temp channel 12349 and `n` eligible online recipients. */
  async function world(
    n = 2,
    tempChannelID = '12349',
  ): Promise<{ app: TestPartnerApp; sender: TestAccount; recipients: TestAccount[] }> {
    const app = await f.app();
    const sender = await f.account(app);
    await presence(sender.accountID, { online: true, tempChannelID });
    const recipients: TestAccount[] = [];
    for (let i = 0; i < n; i++) {
      const r = await f.account(app);
      await presence(r.accountID, { online: true });
      recipients.push(r);
    }
    await live(tempChannelID);
    return { app, sender, recipients };
  }

  function manualJob<T>(data: T): Job<T> {
    return {
      id: 'manual',
      data,
      attemptsMade: 0,
      opts: { attempts: 1 },
      update: () => Promise.resolve(),
      discard: () => undefined,
    } as unknown as Job<T>;
  }

  describe('inviteUserJoin', () => {
    it('should invite every eligible online account from the seed page multipart request and post each to Weibo, signed', async () => {
      const app = await f.app();
      const sender = await f.account(app);
      const [u1, u2, w, x, y, z, v] = await Promise.all(Array.from({ length: 7 }, () => f.account(app)));
      await presence(sender.accountID, { online: true, tempChannelID: '0123520' });
      await presence(u1.accountID, { online: true });
      await presence(u2.accountID, { online: true, acceptInvites: true });
      await presence(w.accountID, { online: true, tempChannelID: '55555' });
      await presence(w.accountID, { online: true, tempChannelID: null });
      await presence(x.accountID, { online: true, tempChannelID: '77777' });
      await presence(y.accountID, { online: true, acceptInvites: false });
      await presence(z.accountID, { online: true });
      await presence(z.accountID, { online: false });
      expect(v.accountID).toBeDefined();
      await live('0123520');

      const signed = {
        accountID: sender.accountID,
        appKey: app.appKey,
        multimediaURL: voiceUrl(),
        callbackURL: callbackUrl(),
        tempChannelID: '0123520',
      };
      const sign = computeSign(signed, app.secret);
      // Field order exactly as on the seed page, sign in the middle.
      const { body, contentType } = multipart(
        {
          accountID: signed.accountID,
          appKey: signed.appKey,
          multimediaURL: signed.multimediaURL,
          sign,
          callbackURL: signed.callbackURL,
          tempChannelID: signed.tempChannelID,
        },
        SEED_BOUNDARY,
      );
      expect(contentType).toBe(`multipart/form-data; boundary=${SEED_BOUNDARY}`);
      expect(body.toString()).toContain(
        `--${SEED_BOUNDARY}\r\nContent-Disposition: form-data; name="tempChannelID"\r\n\r\n0123520\r\n--${SEED_BOUNDARY}--\r\n`,
      );

      const res = await client.raw('/clientcustom/v2/inviteUserJoin', {
        method: 'POST',
        body,
        headers: { 'Content-Type': contentType },
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"ERRORCODE":"0","RESULT":{"count":3}}');

      const posts = await weibo.waitFor(3);
      await sleep(300);
      expect(weibo.requests).toHaveLength(3);
      const expectedReceivers = [u1.accountID, u2.accountID, w.accountID].sort();
      expect(posts.map((p) => p.form.receiverAccountID).sort()).toEqual(expectedReceivers);
      for (const post of posts) {
        expect(post.method).toBe('POST');
        expect(post.path).toBe(WEIBO_PATH);
        expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(Object.keys(post.form).sort()).toEqual([
          'appKey',
          'callbackURL',
          'interval',
          'level',
          'multimediaURL',
          'receiverAccountID',
          'senderAccountID',
          'senderType',
          'sign',
        ]);
        const { sign: postSign, ...unsigned } = post.form;
        expect(postSign).toBe(computeSign(unsigned, WEIBO_APP_SECRET));
        expect(unsigned).toEqual({
          appKey: WEIBO_APP_KEY,
          senderAccountID: sender.accountID,
          receiverAccountID: post.form.receiverAccountID,
          multimediaURL: voiceUrl(),
          callbackURL: callbackUrl(),
          level: '19',
          interval: '300',
          senderType: '2',
        });
      }

      const { total, items } = await settledInvitations('?tempChannelID=0123520');
      expect(total).toBe(3);
      expect(items.map((i) => i.receiverAccountID).sort()).toEqual(expectedReceivers);
      expect(new Set(items.map((i) => i.batchID)).size).toBe(1);
      for (const item of items) {
        expect(item).toMatchObject({
          appKey: app.appKey,
          senderAccountID: sender.accountID,
          tempChannelID: '0123520',
          multimediaURL: voiceUrl(),
          callbackURL: callbackUrl(),
          delivery: { state: 'sent', attempts: 1, lastError: null },
          acceptedAt: null,
          callback: { state: 'none', attempts: 0, deliveredAt: null, lastError: null },
        });
        expect(item.delivery.bizid).toMatch(/^biz-\d+$/);
        expect(item.delivery.sentAt).not.toBeNull();
      }
      expect(media.on('/voice.amr')).toHaveLength(1);

      const audit = await client.admin('GET', '/admin/audit?entityType=temp-channel&entityId=0123520');
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        action: 'invite.send',
        actorAccountID: sender.accountID,
        appKey: app.appKey,
        after: { count: 3 },
      });
    });

    it('should take urlencoded requests too, keeping the callbackURL and leading zeros exactly as signed', async () => {
      const { app, sender, recipients } = await world(1, '00042');
      const rawCallback = `${partner.baseUrl}/cb/%E4%BD%A0?a=1&b=x%20y&c=${encodeURIComponent('中文')}`;
      const res = await invite(app, inviteParams(app, sender.accountID, '00042', { callbackURL: rawCallback }), false);
      expect(res.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
      const [post] = await weibo.waitFor(1);
      expect(post.form.callbackURL).toBe(rawCallback);
      expect(post.form.receiverAccountID).toBe(recipients[0].accountID);
      const { items } = await invitations('?tempChannelID=00042');
      expect(items[0]).toMatchObject({ tempChannelID: '00042', callbackURL: rawCallback });
    });

    it('should refuse a signature computed over an encoded callbackURL, since the raw value is what is signed', async () => {
      const { app, sender } = await world(1);
      const params = inviteParams(app, sender.accountID, '12349');
      const sign = computeSign({ ...params, callbackURL: encodeURIComponent(params.callbackURL) }, app.secret);
      const res = await client.post('inviteUserJoin', { ...params, sign }, { multipart: true });
      expect(res.body).toEqual({ ERRORCODE: 'ME01019', RESULT: 'sign is not match' });
      expect((await invitations()).total).toBe(0);
    });

    it('should need no accessToken (signature only)', async () => {
      const { app, sender } = await world(1);
      const res = await invite(app, inviteParams(app, sender.accountID, '12349', { accessToken: undefined }));
      expect(res.body.ERRORCODE).toBe('0');
    });

    it('should answer a count of 0 when nobody is eligible, post nothing, and still start the interval', async () => {
      const { app, sender } = await world(0);
      const res = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(res.text).toBe('{"ERRORCODE":"0","RESULT":{"count":0}}');
      await sleep(200);
      expect(weibo.requests).toHaveLength(0);
      expect((await invitations()).total).toBe(0);
      const again = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(again.body).toEqual({ ERRORCODE: 'ME18090', RESULT: 'invite too frequent!' });
    });

    it('should answer ME18053 for a well-formed account that does not exist and leave the channel free', async () => {
      const { app, sender } = await world(1);
      const res = await invite(app, inviteParams(app, 'nosuchacct', '12349'));
      expect(res.body).toEqual({ ERRORCODE: 'ME18053', RESULT: 'this accountID is not exist!' });
      expect(media.requests).toHaveLength(0);
      const ok = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(ok.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
    });

    it('should answer ME18092 when the temp channel was never live or has stopped', async () => {
      const { app, sender } = await world(1);
      const never = await invite(app, inviteParams(app, sender.accountID, '99999'));
      expect(never.body).toEqual({ ERRORCODE: 'ME18092', RESULT: 'current channel not start' });
      await live('12349', false);
      const stopped = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(stopped.body).toEqual({ ERRORCODE: 'ME18092', RESULT: 'current channel not start' });
      expect(media.requests).toHaveLength(0);
      expect((await invitations()).total).toBe(0);
      expect(weibo.requests).toHaveLength(0);
    });

    it('should check the account before the temp channel', async () => {
      const { app } = await world(1);
      const res = await invite(app, inviteParams(app, 'nosuchacct', '99999'));
      expect(res.body.ERRORCODE).toBe('ME18053');
    });

    it('should answer ME18090 inside the interval and invite again once it has passed', async () => {
      const { app, sender, recipients } = await world(2);
      const first = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(first.body).toEqual({ ERRORCODE: '0', RESULT: { count: 2 } });
      const state = await client.admin('GET', '/admin/temp-channels/12349');
      expect(state.body.live).toBe(true);
      expect(state.body.inviteAgainInSeconds).toBeGreaterThan(0);

      const second = await invite(app, inviteParams(app, recipients[0].accountID, '12349'));
      expect(second.body).toEqual({ ERRORCODE: 'ME18090', RESULT: 'invite too frequent!' });
      expect(media.requests).toHaveLength(1);

      await sleep(INTERVAL_SECONDS * 1000 + 200);
      const third = await invite(app, inviteParams(app, sender.accountID, '12349'));
      expect(third.body).toEqual({ ERRORCODE: '0', RESULT: { count: 2 } });
      await weibo.waitFor(4);
      expect((await invitations('?tempChannelID=12349')).total).toBe(4);
    });

    it('should keep the interval per temp channel', async () => {
      const { app, sender } = await world(1);
      await live('22222');
      expect((await invite(app, inviteParams(app, sender.accountID, '12349'))).body.ERRORCODE).toBe('0');
      expect((await invite(app, inviteParams(app, sender.accountID, '22222'))).body.ERRORCODE).toBe('0');
    });

    it('should let exactly one of two simultaneous invites to a temp channel through', async () => {
      const { app, sender, recipients } = await world(3);
      const answers = await Promise.all([
        invite(app, inviteParams(app, sender.accountID, '12349')),
        invite(app, inviteParams(app, recipients[2].accountID, '12349'), false),
      ]);
      expect(answers.map((a) => a.body.ERRORCODE).sort()).toEqual(['0', 'ME18090']);
      const winner = answers.find((a) => a.body.ERRORCODE === '0')!;
      const { items } = await settledInvitations();
      expect(items).toHaveLength(winner.body.RESULT.count as number);
      expect(new Set(items.map((i) => i.senderAccountID)).size).toBe(1);
      expect(weibo.requests).toHaveLength(items.length);
    });

    it('should let exactly one of ten simultaneous invites through', async () => {
      const { app, sender } = await world(1);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => invite(app, inviteParams(app, sender.accountID, '12349'))),
      );
      const codes = answers.map((a) => a.body.ERRORCODE);
      expect(codes.filter((c) => c === '0')).toHaveLength(1);
      expect(codes.filter((c) => c === 'ME18090')).toHaveLength(9);
      await settledInvitations();
      expect((await invitations()).total).toBe(1);
    });

    describe('parameter errors', () => {
      const long = (prefix: string, length: number): string => prefix + 'a'.repeat(length - prefix.length);
      const cases: Array<[string, Record<string, string | undefined>, string]> = [
        ['a missing accountID', { accountID: undefined }, 'accountID'],
        ['a short accountID', { accountID: 'abc' }, 'accountID'],
        ['an accountID of 11 characters', { accountID: 'abcdefghijk' }, 'accountID'],
        ['an accountID with punctuation', { accountID: 'abcde-ghij' }, 'accountID'],
        ['a missing tempChannelID', { tempChannelID: undefined }, 'tempChannelID'],
        ['a tempChannelID of 4 digits', { tempChannelID: '1234' }, 'tempChannelID'],
        ['a tempChannelID of 9 digits', { tempChannelID: '123456789' }, 'tempChannelID'],
        ['a tempChannelID with a letter', { tempChannelID: '12a45' }, 'tempChannelID'],
        ['a tempChannelID with a sign', { tempChannelID: '-12345' }, 'tempChannelID'],
        ['a missing multimediaURL', { multimediaURL: undefined }, 'multimediaURL'],
        ['a multimediaURL that is not a URL', { multimediaURL: 'abc' }, 'multimediaURL'],
        ['an ftp multimediaURL', { multimediaURL: 'ftp://example.com/a.amr' }, 'multimediaURL'],
        ['a file multimediaURL', { multimediaURL: 'file:///etc/passwd' }, 'multimediaURL'],
        ['a multimediaURL with a space', { multimediaURL: 'http://example.com/a b.amr' }, 'multimediaURL'],
        ['a multimediaURL over 1024 characters', { multimediaURL: long('http://example.com/', 1025) }, 'multimediaURL'],
        ['a missing callbackURL', { callbackURL: undefined }, 'callbackURL'],
        ['an ftp callbackURL', { callbackURL: 'ftp://x/y' }, 'callbackURL'],
        ['a callbackURL that is not a URL', { callbackURL: 'http//partner' }, 'callbackURL'],
        ['an empty callbackURL', { callbackURL: '' }, 'callbackURL'],
        [
          'a callbackURL over 512 characters',
          { callbackURL: long('http://partner.example/cb?x=', 513) },
          'callbackURL',
        ],
        [
          'a bad accountID and a bad callbackURL (first field wins)',
          { accountID: 'abc', callbackURL: 'ftp://x' },
          'accountID',
        ],
        [
          'a bad tempChannelID for an unknown account (format first)',
          { accountID: 'nosuchacct', tempChannelID: '12' },
          'tempChannelID',
        ],
      ];

      it.each(cases)('should answer ME01023 for %s, and change nothing', async (_name, overrides, field) => {
        const { app, sender } = await world(1);
        const res = await invite(app, inviteParams(app, sender.accountID, '12349', overrides));
        expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: `${field} is error!` });
        expect(media.requests).toHaveLength(0);
        expect((await invitations()).total).toBe(0);
        const state = await client.admin('GET', '/admin/temp-channels/12349');
        expect(state.body.inviteAgainInSeconds).toBe(0);
      });

      it('should accept a callbackURL of exactly 512 characters', async () => {
        const { app, sender } = await world(1);
        const url = long(`${partner.baseUrl}/cb?x=`, 512);
        const res = await invite(app, inviteParams(app, sender.accountID, '12349', { callbackURL: url }));
        expect(res.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
        expect((await weibo.waitFor(1))[0].form.callbackURL).toBe(url);
      });

      it('should answer ME01024 for an empty body and ME01023 for a repeated parameter', async () => {
        const empty = await client.raw('/clientcustom/v2/inviteUserJoin', {
          method: 'POST',
          body: '',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(empty.body).toEqual({ ERRORCODE: 'ME01024', RESULT: 'http body is null!' });
        const { app, sender } = await world(1);
        const params = inviteParams(app, sender.accountID, '12349');
        const body =
          new URLSearchParams({ ...params, sign: computeSign(params, app.secret) }).toString() + '&tempChannelID=12349';
        const repeated = await client.raw('/clientcustom/v2/inviteUserJoin', {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(repeated.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'tempChannelID is error!' });
      });
    });

    describe('multimediaURL content', () => {
      const bad: Array<[string, string]> = [
        ['a text file', '/not-amr.txt'],
        ['an AMR-WB file', '/amr-wb.amr'],
        ['a truncated AMR file', '/truncated.amr'],
        ['an AMR header without frames', '/header-only.amr'],
        ['a 404', '/missing.amr'],
        ['a 500 even with AMR bytes', '/server-error.amr'],
        ['a file over 2 MiB', '/too-big.amr'],
        ['a redirect to a loopback name that is not allowed', '/to-loopback-name'],
      ];

      it.each(bad)('should answer ME01023 multimediaURL for %s and give the interval back', async (_name, path) => {
        const { app, sender } = await world(1);
        const res = await invite(
          app,
          inviteParams(app, sender.accountID, '12349', { multimediaURL: `${media.baseUrl}${path}` }),
        );
        expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'multimediaURL is error!' });
        expect((await invitations()).total).toBe(0);
        expect(weibo.requests).toHaveLength(0);
        const retry = await invite(app, inviteParams(app, sender.accountID, '12349'));
        expect(retry.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
      });

      it.each([
        ['answers too late', '/slow.amr'],
        ['sends its body too slowly', '/slow-body.amr'],
      ])('should answer ME01023 multimediaURL within about 3 s for a host that %s', async (_name, path) => {
        const { app, sender } = await world(1);
        const started = Date.now();
        const res = await invite(
          app,
          inviteParams(app, sender.accountID, '12349', { multimediaURL: `${media.baseUrl}${path}` }),
        );
        const elapsed = Date.now() - started;
        expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'multimediaURL is error!' });
        expect(elapsed).toBeGreaterThanOrEqual(2900);
        expect(elapsed).toBeLessThan(4500);
        expect((await invitations()).total).toBe(0);
        const state = await client.admin('GET', '/admin/temp-channels/12349');
        expect(state.body.inviteAgainInSeconds).toBe(0);
      });

      it('should accept a valid AMR-NB file of exactly 2 MiB', async () => {
        const { app, sender } = await world(1);
        const res = await invite(
          app,
          inviteParams(app, sender.accountID, '12349', { multimediaURL: `${media.baseUrl}/exactly-2mib.amr` }),
        );
        expect(res.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
      });

      it('should follow a redirect to a valid AMR file on an allowed host', async () => {
        const { app, sender } = await world(1);
        const res = await invite(
          app,
          inviteParams(app, sender.accountID, '12349', { multimediaURL: `${media.baseUrl}/voice-redirect` }),
        );
        expect(res.body).toEqual({ ERRORCODE: '0', RESULT: { count: 1 } });
        expect(media.requests.map((r) => r.path)).toEqual(['/voice-redirect', '/voice.amr']);
        const [post] = await weibo.waitFor(1);
        expect(post.form.multimediaURL).toBe(`${media.baseUrl}/voice-redirect`);
      });
    });
  });

  describe('Weibo posting', () => {
    it('should retry a failing post with exponential backoff and record it once it is sent', async () => {
      const { app, sender, recipients } = await world(2);
      const flaky = recipients[0].accountID;
      weibo.reset((r) => {
        if (
          r.form.receiverAccountID === flaky &&
          weibo.requests.filter((q) => q.form.receiverAccountID === flaky).length <= 2
        ) {
          return json({ ERRORCODE: 'ME01022', RESULT: 'internal data error!' });
        }
        return weiboOk();
      });
      expect((await invite(app, inviteParams(app, sender.accountID, '12349'))).body.ERRORCODE).toBe('0');
      const tries = await weibo.waitFor(3, (r) => r.form.receiverAccountID === flaky);
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 10);
      expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(3 * BACKOFF_MS - 10);
      const { items } = await settledInvitations(`?receiverAccountID=${flaky}`);
      expect(items[0].delivery).toMatchObject({ state: 'sent', attempts: 3 });
      expect(items[0].delivery.bizid).toMatch(/^biz-/);
      expect(items[0].delivery.lastError).toContain('internal data error!');
      const other = (await invitations(`?receiverAccountID=${recipients[1].accountID}`)).items[0];
      expect(other.delivery).toMatchObject({ state: 'sent', attempts: 1 });
      await sleep(500);
      expect(weibo.requests.filter((q) => q.form.receiverAccountID === flaky)).toHaveLength(3);
    });

    it('should mark an invitation failed after the last attempt and post no more', async () => {
      const { app, sender, recipients } = await world(1);
      weibo.reset(() => ({ status: 500, body: 'weibo is down' }));
      expect((await invite(app, inviteParams(app, sender.accountID, '12349'))).body.ERRORCODE).toBe('0');
      const { items } = await settledInvitations();
      expect(items[0]).toMatchObject({
        receiverAccountID: recipients[0].accountID,
        delivery: { state: 'failed', attempts: ATTEMPTS, bizid: null, sentAt: null },
      });
      expect(items[0].delivery.lastError).toBe('weibo service answered HTTP 500: weibo is down');
      await sleep(800);
      expect(weibo.requests).toHaveLength(ATTEMPTS);
    });

    it('should treat a reply without a bizid as a failure', async () => {
      const { app, sender } = await world(1);
      weibo.reset(() => json({ ERRORCODE: '0', RESULT: 'ok' }));
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      const { items } = await settledInvitations();
      expect(items[0].delivery).toMatchObject({ state: 'failed', attempts: ATTEMPTS });
      expect(items[0].delivery.lastError).toContain('weibo service refused');
    });

    it('should never post again for an invitation that is already sent', async () => {
      const { app, sender } = await world(1);
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      const { items } = await settledInvitations();
      const id = items[0].invitationID;
      await expect(t.app.get(WeiboPostProcessor).post(manualJob<WeiboPostJob>({ invitationId: id }))).resolves.toEqual({
        status: 'skipped',
        state: 'sent',
      });
      await t.app.get(WeiboPostProducer).enqueue([id]);
      await sleep(300);
      expect(weibo.requests).toHaveLength(1);
      expect((await invitation(id)).delivery).toMatchObject({
        state: 'sent',
        attempts: 1,
        bizid: items[0].delivery.bizid,
      });
    });

    it('should record a post the Weibo service already took instead of posting it twice', async () => {
      const { app, sender } = await world(1);
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      const id = (await settledInvitations()).items[0].invitationID;
      // As if the post succeeded but writing its outcome failed: the row is still queued, the job knows the bizid.
      await t.dataSource
        .getRepository(Invitation)
        .update({ id }, { deliveryState: 'queued', weiboBizid: null, deliveredAt: null });
      const result = await t.app
        .get(WeiboPostProcessor)
        .post(manualJob<WeiboPostJob>({ invitationId: id, bizid: 'biz-recovered' }));
      expect(result).toEqual({ status: 'sent', bizid: 'biz-recovered' });
      expect(weibo.requests).toHaveLength(1);
      expect((await invitation(id)).delivery).toMatchObject({ state: 'sent', bizid: 'biz-recovered' });
    });
  });

  describe('acceptInvitation', () => {
    async function invited(
      n = 2,
    ): Promise<{ app: TestPartnerApp; sender: TestAccount; recipients: TestAccount[]; items: InvitationView[] }> {
      const w = await world(n);
      expect((await invite(w.app, inviteParams(w.app, w.sender.accountID, '12349'))).body.ERRORCODE).toBe('0');
      const { items } = await settledInvitations();
      return { ...w, items };
    }

    function accept(
      app: TestPartnerApp,
      recipient: TestAccount,
      params: Record<string, string>,
    ): Promise<HttpAnswer<Envelope>> {
      return client.post(
        'acceptInvitation',
        { appKey: app.appKey, accountID: recipient.accountID, accessToken: recipient.accessToken, ...params },
        { secret: app.secret },
      );
    }

    const idOf = (items: InvitationView[], recipient: TestAccount): string =>
      items.find((i) => i.receiverAccountID === recipient.accountID)!.invitationID;

    it('should record the acceptance and send one callback the partner can verify with the inviting app secret', async () => {
      const { app, sender, recipients, items } = await invited();
      const [r1] = recipients;
      const id = idOf(items, r1);
      // The recipient's device uses another partner app than the one that invited.
      const deviceApp = await f.app();
      const token = await client.admin('POST', '/admin/tokens', { appKey: deviceApp.appKey, accountID: r1.accountID });
      const before = Math.floor(Date.now() / 1000);
      const res = await accept(
        deviceApp,
        { accountID: r1.accountID, accessToken: token.body.accessToken },
        { invitationID: id },
      );
      expect(res.text).toBe(`{"ERRORCODE":"0","RESULT":{"invitationID":"${id}"}}`);

      const [cb] = await partner.waitFor(1);
      expect(cb.method).toBe('POST');
      expect(cb.path).toBe(CALLBACK_PATH);
      expect(cb.query).toBe(CALLBACK_QUERY);
      expect(cb.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.keys(cb.form).sort()).toEqual([
        'acceptTime',
        'appKey',
        'invitationID',
        'receiverAccountID',
        'senderAccountID',
        'sign',
        'tempChannelID',
      ]);
      const { sign, ...fields } = cb.form;
      // What the partner does: recompute the signature with its own secret.
      expect(sign).toBe(computeSign(fields, app.secret));
      expect(sign).not.toBe(computeSign(fields, deviceApp.secret));
      expect(fields).toMatchObject({
        invitationID: id,
        senderAccountID: sender.accountID,
        receiverAccountID: r1.accountID,
        tempChannelID: '12349',
        appKey: app.appKey,
      });
      expect(Number(fields.acceptTime)).toBeGreaterThanOrEqual(before);
      expect(Number(fields.acceptTime)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

      const view = await eventually(
        () => invitation(id),
        (v) => v.callback.state === 'delivered',
      );
      expect(view.acceptedAt).toBe(Number(fields.acceptTime));
      expect(view.callback).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
      expect(view.callback.deliveredAt).not.toBeNull();
      const other = await invitation(idOf(items, recipients[1]));
      expect(other).toMatchObject({ acceptedAt: null, callback: { state: 'none', attempts: 0 } });

      const audit = await client.admin('GET', `/admin/audit?entityType=invitation&entityId=${id}`);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        action: 'invitation.accept',
        actorAccountID: r1.accountID,
        appKey: deviceApp.appKey,
      });
    });

    it('should answer ME18105 to a second accept and send no second callback', async () => {
      const { app, recipients, items } = await invited(1);
      const id = items[0].invitationID;
      expect((await accept(app, recipients[0], { invitationID: id })).body.ERRORCODE).toBe('0');
      await partner.waitFor(1);
      expect((await accept(app, recipients[0], { invitationID: id })).body).toEqual({
        ERRORCODE: 'ME18105',
        RESULT: 'Repeat submitted',
      });
      expect((await accept(app, recipients[0], { tempChannelID: '12349' })).body.ERRORCODE).toBe('ME18105');
      await sleep(400);
      expect(partner.requests).toHaveLength(1);
      await expect(
        t.app.get(PartnerCallbackProcessor).send(manualJob<PartnerCallbackJob>({ invitationId: id })),
      ).resolves.toEqual({ status: 'skipped', state: 'delivered' });
      expect(partner.requests).toHaveLength(1);
    });

    it('should record exactly one of several simultaneous accepts', async () => {
      const { app, recipients, items } = await invited(1);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          accept(
            app,
            recipients[0],
            i % 2 === 0 ? { invitationID: items[0].invitationID } : { tempChannelID: '12349' },
          ),
        ),
      );
      const codes = answers.map((a) => a.body.ERRORCODE);
      expect(codes.filter((c) => c === '0')).toHaveLength(1);
      expect(codes.filter((c) => c === 'ME18105')).toHaveLength(5);
      await partner.waitFor(1);
      await sleep(400);
      expect(partner.requests).toHaveLength(1);
    });

    it('should accept by tempChannelID the newest invitation of that recipient to that temp channel', async () => {
      const { app, sender, recipients } = await world(1);
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      await settledInvitations();
      await sleep(INTERVAL_SECONDS * 1000 + 200);
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      const { items } = await settledInvitations();
      expect(items).toHaveLength(2);
      const newest = items[0].invitationID;
      expect(Number(newest)).toBeGreaterThan(Number(items[1].invitationID));
      const res = await accept(app, recipients[0], { tempChannelID: '12349' });
      expect(res.body).toEqual({ ERRORCODE: '0', RESULT: { invitationID: newest } });
      expect((await invitation(items[1].invitationID)).acceptedAt).toBeNull();
      const [cb] = await partner.waitFor(1);
      expect(cb.form.invitationID).toBe(newest);
    });

    it.each<[string, (ctx: { items: InvitationView[]; recipients: TestAccount[] }) => Record<string, string>, string]>([
      ['neither invitationID nor tempChannelID', () => ({}), 'invitationID'],
      ['an invitationID that is not a number', () => ({ invitationID: 'abc' }), 'invitationID'],
      ['an invitationID of 0', () => ({ invitationID: '0' }), 'invitationID'],
      ['an unknown invitationID', () => ({ invitationID: '999999' }), 'invitationID'],
      [
        'an invitation addressed to someone else',
        ({ items, recipients }) => ({ invitationID: idOf(items, recipients[1]) }),
        'invitationID',
      ],
      [
        'a tempChannelID that does not match the invitation',
        ({ items, recipients }) => ({ invitationID: idOf(items, recipients[0]), tempChannelID: '54321' }),
        'tempChannelID',
      ],
      ['a tempChannelID without an invitation', () => ({ tempChannelID: '54321' }), 'tempChannelID'],
      ['a malformed tempChannelID', () => ({ tempChannelID: '12' }), 'tempChannelID'],
    ])('should answer ME01023 for %s and change nothing', async (_name, params, field) => {
      const { app, recipients, items } = await invited(2);
      const res = await accept(app, recipients[0], params({ items, recipients }));
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: `${field} is error!` });
      const after = await invitations();
      expect(after.items.every((i) => i.acceptedAt === null && i.callback.state === 'none')).toBe(true);
      await sleep(200);
      expect(partner.requests).toHaveLength(0);
    });

    it('should check the recipient token', async () => {
      const { app, recipients, items } = await invited(2);
      const id = idOf(items, recipients[0]);
      const base = { appKey: app.appKey, accountID: recipients[0].accountID, invitationID: id };
      expect((await client.post('acceptInvitation', base, { secret: app.secret })).body).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'accessToken is error!',
      });
      const wrong = await client.post(
        'acceptInvitation',
        { ...base, accessToken: recipients[1].accessToken },
        { secret: app.secret },
      );
      expect(wrong.body).toEqual({ ERRORCODE: 'ME01003', RESULT: 'access token not matched' });
      expect((await invitation(id)).acceptedAt).toBeNull();
    });

    it('should retry a failing callback endpoint with backoff and record the final failure', async () => {
      const { app, recipients, items } = await invited(1);
      partner.reset(() => ({ status: 500, body: 'partner is down' }));
      const id = items[0].invitationID;
      expect((await accept(app, recipients[0], { invitationID: id })).body.ERRORCODE).toBe('0');
      const calls = await partner.waitFor(ATTEMPTS);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 10);
      expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(3 * BACKOFF_MS - 10);
      expect(new Set(calls.map((c) => c.form.sign)).size).toBe(1);
      const view = await eventually(
        () => invitation(id),
        (v) => v.callback.state !== 'queued',
      );
      expect(view.callback).toEqual({
        state: 'failed',
        attempts: ATTEMPTS,
        deliveredAt: null,
        lastError: 'callback answered HTTP 500',
      });
      expect(view.acceptedAt).not.toBeNull();
      await sleep(800);
      expect(partner.requests).toHaveLength(ATTEMPTS);
      expect((await accept(app, recipients[0], { invitationID: id })).body.ERRORCODE).toBe('ME18105');
    });

    it('should deliver on a later attempt once the partner recovers', async () => {
      const { app, recipients, items } = await invited(1);
      partner.reset(() => (partner.requests.length === 1 ? { status: 503 } : { status: 204 }));
      const id = items[0].invitationID;
      await accept(app, recipients[0], { invitationID: id });
      const view = await eventually(
        () => invitation(id),
        (v) => v.callback.state !== 'queued',
      );
      expect(view.callback).toMatchObject({ state: 'delivered', attempts: 2, lastError: 'callback answered HTTP 503' });
      expect(partner.requests).toHaveLength(2);
    });

    it('should retry a callback that times out', async () => {
      const { app, recipients, items } = await invited(1);
      partner.reset(() => (partner.requests.length === 1 ? { delayMs: 6000, status: 200 } : { status: 200 }));
      const id = items[0].invitationID;
      await accept(app, recipients[0], { invitationID: id });
      const view = await eventually(
        () => invitation(id),
        (v) => v.callback.state !== 'queued',
        12000,
      );
      expect(view.callback.state).toBe('delivered');
      expect(view.callback.attempts).toBe(2);
      expect(view.callback.lastError).toContain('deadline');
    }, 20000);

    it('should fail a callback to a refused address at once, without retrying', async () => {
      const w = await world(1);
      const refused = `http://localhost:${partner.port}${CALLBACK_PATH}`;
      await invite(w.app, inviteParams(w.app, w.sender.accountID, '12349', { callbackURL: refused }));
      const { items } = await settledInvitations();
      await accept(w.app, w.recipients[0], { invitationID: items[0].invitationID });
      const view = await eventually(
        () => invitation(items[0].invitationID),
        (v) => v.callback.state !== 'queued',
      );
      expect(view.callback.state).toBe('failed');
      expect(view.callback.attempts).toBe(1);
      expect(view.callback.lastError).toMatch(/loopback address/);
      await sleep(500);
      expect(partner.requests).toHaveLength(0);
    });
  });

  describe('admin', () => {
    it('should keep presence as reported and clear the temp channel when an account goes offline', async () => {
      const app = await f.app();
      const a = await f.account(app);
      await presence(a.accountID, { online: true, tempChannelID: '01234', acceptInvites: false });
      expect((await client.admin('GET', `/admin/presence/${a.accountID}`)).body).toEqual({
        accountID: a.accountID,
        online: true,
        tempChannelID: '01234',
        acceptInvites: false,
      });
      await presence(a.accountID, { online: true });
      expect((await client.admin('GET', `/admin/presence/${a.accountID}`)).body).toEqual({
        accountID: a.accountID,
        online: true,
        tempChannelID: '01234',
        acceptInvites: false,
      });
      const res = await client.admin('PUT', `/admin/presence/${a.accountID}`, { online: false });
      expect(res.body).toEqual({ accountID: a.accountID, online: false, tempChannelID: null, acceptInvites: false });
      await presence(a.accountID, { online: true, acceptInvites: true });
      expect((await client.admin('GET', `/admin/presence/${a.accountID}`)).body).toEqual({
        accountID: a.accountID,
        online: true,
        tempChannelID: null,
        acceptInvites: true,
      });
    });

    it.each<[string, string, unknown, string]>([
      ['online missing', 'aaaaaaaaaa', {}, 'online'],
      ['online not a boolean', 'aaaaaaaaaa', { online: 'yes' }, 'online'],
      ['a malformed tempChannelID', 'aaaaaaaaaa', { online: true, tempChannelID: '12' }, 'tempChannelID'],
      ['a numeric tempChannelID', 'aaaaaaaaaa', { online: true, tempChannelID: 12345 }, 'tempChannelID'],
      ['acceptInvites not a boolean', 'aaaaaaaaaa', { online: true, acceptInvites: 'no' }, 'acceptInvites'],
      ['a temp channel while offline', 'aaaaaaaaaa', { online: false, tempChannelID: '12345' }, 'tempChannelID'],
      ['a malformed accountID', 'short', { online: true }, 'accountID'],
    ])('should answer 400 naming the field for presence with %s', async (_name, account, body, field) => {
      const app = await f.app();
      await f.account(app, { accountID: 'aaaaaaaaaa' });
      const res = await client.admin('PUT', `/admin/presence/${account}`, body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
      expect((await client.admin('GET', '/admin/presence/aaaaaaaaaa')).body.online).toBe(false);
    });

    it('should answer 404 for the presence of an unknown account', async () => {
      const res = await client.admin('PUT', '/admin/presence/nosuchacct', { online: true });
      expect(res.status).toBe(404);
      expect(res.body.errors).toEqual({ accountID: 'not found' });
    });

    it('should validate temp channel reports', async () => {
      expect((await client.admin('PUT', '/admin/temp-channels/12', { live: true })).body.errors).toHaveProperty(
        'tempChannelID',
      );
      const missing = await client.admin('PUT', '/admin/temp-channels/12345', {});
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.body.errors)).toEqual(['live']);
      const ok = await client.admin('PUT', '/admin/temp-channels/012345', { live: true });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ tempChannelID: '012345', live: true });
      expect((await client.admin('GET', '/admin/temp-channels/12345')).body.live).toBe(false);
    });

    it('should refuse the admin routes without the bearer token', async () => {
      expect((await client.admin('PUT', '/admin/temp-channels/12345', { live: true }, null)).status).toBe(401);
      expect((await client.admin('GET', '/admin/invitations', undefined, 'wrong-token-wrong-token')).status).toBe(401);
    });

    it('should list invitations by temp channel, sender and receiver, newest first', async () => {
      const { app, sender, recipients } = await world(2);
      await live('33333');
      await invite(app, inviteParams(app, sender.accountID, '12349'));
      await invite(app, inviteParams(app, recipients[0].accountID, '33333'));
      await settledInvitations();
      const all = await invitations();
      // 12349 from the sender reaches both recipients; 33333 from recipient 0 reaches only recipient 1,
      // because the sender is in temp channel 12349.
      expect(all.total).toBe(3);
      expect(all.items.map((i) => Number(i.invitationID))).toEqual(
        [...all.items.map((i) => Number(i.invitationID))].sort((a, b) => b - a),
      );
      expect((await invitations('?tempChannelID=33333')).items.map((i) => i.receiverAccountID)).toEqual([
        recipients[1].accountID,
      ]);
      expect((await invitations(`?senderAccountID=${sender.accountID}`)).total).toBe(2);
      expect((await invitations(`?senderAccountID=${recipients[0].accountID}`)).total).toBe(1);
      const toR1 = await invitations(`?receiverAccountID=${recipients[1].accountID}`);
      expect(toR1.total).toBe(2);
      expect((await invitations(`?receiverAccountID=${recipients[1].accountID}&tempChannelID=12349`)).total).toBe(1);
      expect((await invitations('?limit=1&offset=1')).items).toHaveLength(1);
      const bad = await client.admin('GET', '/admin/invitations?senderAccountID=bad');
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['senderAccountID']);
    });

    it('should answer 404 for an unknown invitation and 400 for a malformed id', async () => {
      expect((await client.admin('GET', '/admin/invitations/424242')).status).toBe(404);
      const bad = await client.admin('GET', '/admin/invitations/abc');
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['id']);
    });
  });

  describe('with private destinations refused and no allowed host (APP_ROLE=api)', () => {
    let strict: TestApp;
    let strictClient: PartnerClient;

    beforeAll(async () => {
      strict = await createTestApp({
        APP_ROLE: 'api',
        WEIBO_API_URL: weibo.baseUrl,
        WEIBO_APP_KEY,
        WEIBO_APP_SECRET,
        OUTBOUND_ALLOW_PRIVATE: 'false',
        OUTBOUND_ALLOWED_HOSTS: '',
      });
      strictClient = new PartnerClient(strict.baseUrl);
    });

    afterAll(() => strict.close());

    it.each([
      ['a loopback address', () => `${media.baseUrl}/voice.amr`],
      ['a name resolving to loopback', () => `http://localhost:${media.port}/voice.amr`],
      ['IPv6 loopback', () => `http://[::1]:${media.port}/voice.amr`],
      ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${media.port}/voice.amr`],
      ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/voice.amr'],
      ['a private network address', () => 'http://192.168.1.6/group3/M00/00/1E/wKgBBlO_gmyAYYrYAAAITe8iduk605.amr'],
      ['a CGNAT address', () => 'http://100.64.0.1/voice.amr'],
    ])('should answer ME01023 multimediaURL for %s without fetching it', async (_name, url) => {
      const { app, sender } = await world(1);
      const res = await strictClient.post(
        'inviteUserJoin',
        inviteParams(app, sender.accountID, '12349', { multimediaURL: url() }),
        {
          secret: app.secret,
          multipart: true,
        },
      );
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'multimediaURL is error!' });
      expect(media.requests).toHaveLength(0);
      expect((await invitations()).total).toBe(0);
      expect((await client.admin('GET', '/admin/temp-channels/12349')).body.inviteAgainInSeconds).toBe(0);
    });

    it('should run no queue processors in the api role', () => {
      expect(() => strict.app.get(WeiboPostProcessor, { strict: false })).toThrow();
      expect(() => strict.app.get(PartnerCallbackProcessor, { strict: false })).toThrow();
      expect(t.app.get(WeiboPostProcessor, { strict: false })).toBeInstanceOf(WeiboPostProcessor);
    });
  });
});
