import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { Envelope, HttpAnswer, PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';
import { applyParams, GROUP_CATALOG } from './utils/secret-channel-world';

/**
 * API.md 10, "every instance, within one second": two instances of the real AppModule on two ports, one
 * database, one Redis. Each change is made through the admin API of instance A after instance B has
 * answered (and so cached) the old way; B must answer the new way within 1 s.
 */
describe('credential changes reach every instance within 1 s (API.md 10)', () => {
  let a: TestApp;
  let b: TestApp;
  let adminA: PartnerClient;
  let clientB: PartnerClient;
  let fixtures: Fixtures;
  let app: TestPartnerApp;
  let user: TestAccount;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      createTestApp({}, undefined, [ProbeModule]),
      createTestApp({}, undefined, [ProbeModule]),
    ]);
    adminA = new PartnerClient(a.baseUrl);
    clientB = new PartnerClient(b.baseUrl);
    fixtures = new Fixtures(adminA);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  beforeEach(async () => {
    await resetState(a);
    app = await fixtures.app();
    user = await fixtures.account(app);
  });

  const probe = (on: PartnerClient, secret = app.secret, who = user, appKey = app.appKey) =>
    on.post('probe', { appKey, accountID: who.accountID, accessToken: who.accessToken, text: '频道测试' }, { secret });

  /** Polls until the answer has `code`; resolves with the milliseconds it took (fails past 1 s). */
  async function answersWithin1s(request: () => Promise<HttpAnswer<Envelope>>, code: string): Promise<number> {
    const started = Date.now();
    let last = '';
    while (Date.now() - started <= 1000) {
      const res = await request();
      if (res.body.ERRORCODE === code) {
        return Date.now() - started;
      }
      last = res.text;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`still answering ${last} after 1 s, expected ${code}`);
  }

  async function adminOk(method: string, path: string, body?: unknown): Promise<any> {
    const res = await adminA.admin(method, path, body);
    expect(res.status).toBeLessThan(300);
    return res.body;
  }

  it('should answer ME01002 on the other instance once the app is disabled, and 0 again once enabled', async () => {
    expect((await probe(clientB)).body.ERRORCODE).toBe('0');
    await adminOk('PATCH', `/admin/apps/${app.appKey}`, { enabled: false });
    await expect(answersWithin1s(() => probe(clientB), 'ME01002')).resolves.toBeLessThanOrEqual(1000);
    await adminOk('PATCH', `/admin/apps/${app.appKey}`, { enabled: true });
    await expect(answersWithin1s(() => probe(clientB), '0')).resolves.toBeLessThanOrEqual(1000);
  });

  it('should take the new secret on the other instance at once, keep the old one through its grace, then refuse it', async () => {
    expect((await probe(clientB)).body.ERRORCODE).toBe('0');
    const rotated = await adminOk('POST', `/admin/apps/${app.appKey}/rotate-secret`, { graceSeconds: 2 });
    expect(rotated.secret).not.toBe(app.secret);
    await expect(answersWithin1s(() => probe(clientB, rotated.secret), '0')).resolves.toBeLessThanOrEqual(1000);
    expect((await probe(clientB, app.secret)).body.ERRORCODE).toBe('0');
    // Past the second previousValidUntil the old secret never signs again, on either instance.
    const waitMs = (rotated.previousValidUntil + 1) * 1000 - Date.now() + 50;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
    expect((await probe(clientB, app.secret)).body).toEqual({ ERRORCODE: 'ME01019', RESULT: 'sign is not match' });
    expect((await probe(new PartnerClient(a.baseUrl), app.secret)).body.ERRORCODE).toBe('ME01019');
    expect((await probe(clientB, rotated.secret)).body.ERRORCODE).toBe('0');
  });

  it('should refuse the old secret on the other instance within 1 s when rotated without grace', async () => {
    expect((await probe(clientB)).body.ERRORCODE).toBe('0');
    const rotated = await adminOk('POST', `/admin/apps/${app.appKey}/rotate-secret`, {});
    await expect(answersWithin1s(() => probe(clientB), 'ME01019')).resolves.toBeLessThanOrEqual(1000);
    expect((await probe(clientB, rotated.secret)).body.ERRORCODE).toBe('0');
  });

  it.each([
    ['one token', (u: TestAccount) => ({ accessToken: u.accessToken })],
    ['the account in one app', (u: TestAccount, appKey: string) => ({ appKey, accountID: u.accountID })],
    ['the account everywhere', (u: TestAccount) => ({ accountID: u.accountID })],
  ])('should answer ME01003 on the other instance once %s is revoked', async (_form, body) => {
    expect((await probe(clientB)).body.ERRORCODE).toBe('0');
    await expect(adminOk('POST', '/admin/tokens/revoke', body(user, app.appKey))).resolves.toEqual({ revoked: 1 });
    await expect(answersWithin1s(() => probe(clientB), 'ME01003')).resolves.toBeLessThanOrEqual(1000);
  });

  it('should honour a brought-over app and token on the other instance that had just refused them', async () => {
    const appKey = '123456789';
    const secret = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const accessToken = 'LegacyToken0123456789abcdefABCDE';
    const who = { accountID: user.accountID, accessToken };
    expect((await probe(clientB, secret, who, appKey)).body.ERRORCODE).toBe('ME01002');
    await adminOk('POST', '/admin/apps', { name: 'legacy', appKey, secret });
    await expect(answersWithin1s(() => probe(clientB, secret, who, appKey), 'ME01003')).resolves.toBeLessThan(1001);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    await adminOk('POST', '/admin/tokens', { appKey, accountID: user.accountID, accessToken, expiresAt });
    await expect(answersWithin1s(() => probe(clientB, secret, who, appKey), '0')).resolves.toBeLessThanOrEqual(1000);
  });

  it('should answer ME18306 on the other instance once the operator role is removed', async () => {
    await fixtures.catalog(GROUP_CATALOG, 2, '交通');
    const owner = await fixtures.account(app);
    const operator = await fixtures.account(app, { roles: ['operator'] });
    const applied = await adminA.post(
      'applySecretChannel',
      { appKey: app.appKey, accountID: owner.accountID, accessToken: owner.accessToken, ...applyParams() },
      { secret: app.secret },
    );
    const channelNumber = (applied.body.RESULT as { channelNumber: string }).channelNumber;
    // Each successful call flips the channel between closed (2) and open (1); a refused one changes nothing.
    let status = '2';
    const manage = async () => {
      const res = await clientB.post(
        'manageSecretChannelUsers',
        {
          appKey: app.appKey,
          accountID: operator.accountID,
          accessToken: operator.accessToken,
          channelNumber,
          infoType: '1',
          curStatus: status,
        },
        { secret: app.secret },
      );
      if (res.body.ERRORCODE === '0') {
        status = status === '2' ? '1' : '2';
      }
      return res;
    };
    expect((await manage()).body.ERRORCODE).toBe('0');
    await adminOk('PATCH', `/admin/accounts/${operator.accountID}`, { roles: [] });
    await expect(answersWithin1s(manage, 'ME18306')).resolves.toBeLessThanOrEqual(1000);
    await adminOk('PATCH', `/admin/accounts/${operator.accountID}`, { roles: ['operator'] });
    await expect(answersWithin1s(manage, '0')).resolves.toBeLessThanOrEqual(1000);
  });
});
