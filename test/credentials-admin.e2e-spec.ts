import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';

/** The credential lifecycle routes of API.md 10 and the bring-over fields of API.md 15, on one instance. */
describe('credential lifecycle admin routes (API.md 10, 15)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let fixtures: Fixtures;
  let app: TestPartnerApp;
  let user: TestAccount;

  beforeAll(async () => {
    t = await createTestApp({}, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
    fixtures = new Fixtures(client);
  });
  afterAll(() => t.close());
  // One reset for the file: every test makes its own app and account (random keys), and reads only the
  // audit rows written after it started, so the tests stay independent without a truncate each.
  let auditMark = 0;
  beforeAll(() => resetState(t));
  beforeEach(async () => {
    app = await fixtures.app();
    user = await fixtures.account(app);
    const [{ id }] = await t.dataSource.query<Array<{ id: string | null }>>('SELECT MAX(id) AS id FROM audit_log');
    auditMark = Number(id ?? 0);
  });

  const probe = (secret = app.secret, who = user, appKey = app.appKey, extra: Record<string, string> = {}) =>
    client.post(
      'probe',
      { appKey, accountID: who.accountID, accessToken: who.accessToken, text: '频道测试', ...extra },
      { secret },
    );
  const audit = (action: string) =>
    t.dataSource.query<Array<{ entity_id: string; before_state: unknown; after_state: unknown }>>(
      'SELECT entity_id, before_state, after_state FROM audit_log WHERE action = ? AND id > ? ORDER BY id',
      [action, auditMark],
    );

  function expect400(res: { status: number; body: any }, field: string): void {
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  }

  describe('apps', () => {
    it('should list every app with its state and never a secret', async () => {
      const other = await fixtures.app(true);
      const res = await client.admin('GET', '/admin/apps');
      expect(res.status).toBe(200);
      const now = Math.floor(Date.now() / 1000);
      expect(res.body).toEqual(
        expect.arrayContaining([
          {
            appKey: app.appKey,
            name: 'test-app',
            enabled: true,
            requireTimestamp: false,
            createdAt: expect.any(Number),
            secretRotatedAt: null,
          },
          expect.objectContaining({ appKey: other.appKey, requireTimestamp: true }),
        ]),
      );
      const listed = (res.body as Array<{ appKey: string; createdAt: number }>).find((a) => a.appKey === app.appKey);
      expect(Math.abs(listed!.createdAt - now)).toBeLessThan(60);
      expect(res.text).not.toContain(app.secret);
      expect(res.text).not.toContain(other.secret);
    });

    it('should disable, rename and require timestamps, answer the app and audit before and after', async () => {
      const res = await client.admin('PATCH', `/admin/apps/${app.appKey}`, { enabled: false, name: 'renamed' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ appKey: app.appKey, name: 'renamed', enabled: false }));
      expect((await probe()).body).toEqual({ ERRORCODE: 'ME01002', RESULT: 'appKey error' });
      await client.admin('PATCH', `/admin/apps/${app.appKey}`, { enabled: true, requireTimestamp: true });
      expect((await probe()).body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'timestamp is error!' });
      const rows = await audit('app.update');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toEqual({
        entity_id: app.appKey,
        before_state: { name: 'test-app', enabled: true, requireTimestamp: false },
        after_state: { name: 'renamed', enabled: false, requireTimestamp: false },
      });
    });

    it.each([
      [{ enabled: 'no' }, 'enabled'],
      [{ requireTimestamp: 1 }, 'requireTimestamp'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ secret: 'A'.repeat(40) }, 'secret'],
    ])('should answer 400 naming the field for PATCH %j and change nothing', async (body, field) => {
      expect400(await client.admin('PATCH', `/admin/apps/${app.appKey}`, body), field);
      expect((await probe()).body.ERRORCODE).toBe('0');
      expect(await audit('app.update')).toHaveLength(0);
    });

    it('should answer 404 for an unknown appKey and 400 for a malformed one', async () => {
      const unknown = await client.admin('PATCH', '/admin/apps/42', { enabled: false });
      expect(unknown.status).toBe(404);
      expect(unknown.body.errors).toEqual({ appKey: 'not found' });
      expect((await client.admin('POST', '/admin/apps/42/rotate-secret', {})).status).toBe(404);
      expect400(await client.admin('PATCH', '/admin/apps/12345678901', { enabled: false }), 'appKey');
      expect400(await client.admin('POST', '/admin/apps/abc/rotate-secret', {}), 'appKey');
    });

    it('should rotate the secret with a grace period, record it, and show the rotation time', async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await client.admin('POST', `/admin/apps/${app.appKey}/rotate-secret`, { graceSeconds: 600 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        appKey: app.appKey,
        secret: expect.stringMatching(/^[0-9A-F]{40}$/),
        previousValidUntil: expect.any(Number),
      });
      expect(res.body.previousValidUntil - before).toBeGreaterThanOrEqual(599);
      expect(res.body.previousValidUntil - before).toBeLessThanOrEqual(601);
      expect((await probe(res.body.secret)).body.ERRORCODE).toBe('0');
      expect((await probe(app.secret)).body.ERRORCODE).toBe('0');
      const listed = (await client.admin('GET', '/admin/apps')).body.find((a: any) => a.appKey === app.appKey);
      expect(listed.secretRotatedAt).toBeGreaterThanOrEqual(before);
      const [row] = await audit('app.rotate-secret');
      expect(row.after_state).toEqual(expect.objectContaining({ graceSeconds: 600 }));
      expect(JSON.stringify(row)).not.toContain(res.body.secret);
    });

    it.each([[{ graceSeconds: 604801 }], [{ graceSeconds: -1 }], [{ graceSeconds: 1.5 }], [{ graceSeconds: '60' }]])(
      'should answer 400 naming graceSeconds for %j and keep the secret',
      async (body) => {
        expect400(await client.admin('POST', `/admin/apps/${app.appKey}/rotate-secret`, body), 'graceSeconds');
        expect((await probe()).body.ERRORCODE).toBe('0');
      },
    );

    it('should bring an existing app over with its 9-digit appKey and lowercase secret, unchanged', async () => {
      const secret = '0123456789abcdef0123456789abcdef01234567';
      const res = await client.admin('POST', '/admin/apps', { name: 'legacy', appKey: '123456789', secret });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ appKey: '123456789', secret, name: 'legacy', requireTimestamp: false });
      expect((await client.admin('POST', '/admin/apps', { name: 'legacy', appKey: '123456789' })).status).toBe(409);
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const token = await client.admin('POST', '/admin/tokens', {
        appKey: '123456789',
        accountID: user.accountID,
        accessToken: 'LegacyToken0123456789abcdefABCDE',
        expiresAt,
      });
      expect(token.status).toBe(201);
      expect(token.body).toEqual({ accessToken: 'LegacyToken0123456789abcdefABCDE', expiresAt });
      const who = { accountID: user.accountID, accessToken: 'LegacyToken0123456789abcdefABCDE' };
      expect((await probe(secret, who, '123456789')).body.ERRORCODE).toBe('0');
      const [row] = await audit('app.create');
      expect(row).toBeDefined();
    });

    it('should answer 409 for a taken appKey and keep the app as it was', async () => {
      const res = await client.admin('POST', '/admin/apps', {
        name: 'again',
        appKey: app.appKey,
        secret: 'B'.repeat(40),
      });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual({ appKey: 'already exists' });
      expect((await probe()).body.ERRORCODE).toBe('0');
    });

    it.each([
      [{ name: 'x', appKey: 'abc' }, 'appKey'],
      [{ name: 'x', appKey: '12345678901' }, 'appKey'],
      [{ name: 'x', appKey: '1', secret: 'G'.repeat(40) }, 'secret'],
      [{ name: 'x', appKey: '1', secret: 'A'.repeat(39) }, 'secret'],
      [{ name: 'x', secret: 'A'.repeat(40) }, 'appKey'],
      [{ name: 'x', enabled: false }, 'enabled'],
    ])('should answer 400 naming the field for POST /admin/apps %j', async (body, field) => {
      const before = (await client.admin('GET', '/admin/apps')).body.length;
      expect400(await client.admin('POST', '/admin/apps', body), field);
      expect((await client.admin('GET', '/admin/apps')).body).toHaveLength(before);
    });
  });

  describe('tokens', () => {
    it.each([
      [{ accessToken: 'A'.repeat(32) }, 'expiresAt'],
      [{ accessToken: 'A'.repeat(31), expiresAt: 2_000_000_000 }, 'accessToken'],
      [{ accessToken: 'A'.repeat(32), expiresAt: 1_000_000_000 }, 'expiresAt'],
      [{ ttlSeconds: 60, expiresAt: 2_000_000_000 }, 'expiresAt'],
      [{ expiresAt: '2000000000' }, 'expiresAt'],
      [{ revoked: true }, 'revoked'],
    ])('should answer 400 naming the field for POST /admin/tokens with %j', async (extra, field) => {
      const res = await client.admin('POST', '/admin/tokens', {
        appKey: app.appKey,
        accountID: user.accountID,
        ...extra,
      });
      expect400(res, field);
    });

    it('should answer 409 for a token that exists already and keep it working', async () => {
      const res = await client.admin('POST', '/admin/tokens', {
        appKey: app.appKey,
        accountID: user.accountID,
        accessToken: user.accessToken,
        expiresAt: Math.floor(Date.now() / 1000) + 60,
      });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual({ accessToken: 'already exists' });
      expect((await probe()).body.ERRORCODE).toBe('0');
    });

    it('should revoke in each of the three forms and count only live tokens', async () => {
      const otherApp = await fixtures.app();
      const issue = async (appKey: string, ttlSeconds = 3600) =>
        (await client.admin('POST', '/admin/tokens', { appKey, accountID: user.accountID, ttlSeconds })).body
          .accessToken as string;
      const second = await issue(app.appKey);
      const elsewhere = await issue(otherApp.appKey);
      await issue(app.appKey, 1);
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const revoke = async (body: unknown) => (await client.admin('POST', '/admin/tokens/revoke', body)).body;
      await expect(revoke({ accessToken: second })).resolves.toEqual({ revoked: 1 });
      await expect(revoke({ accessToken: second })).resolves.toEqual({ revoked: 0 });
      await expect(revoke({ accessToken: 'Z'.repeat(32) })).resolves.toEqual({ revoked: 0 });
      // The expired one of this app is not counted: it was dead already.
      await expect(revoke({ appKey: app.appKey, accountID: user.accountID })).resolves.toEqual({ revoked: 1 });
      expect((await probe()).body).toEqual({ ERRORCODE: 'ME01003', RESULT: 'access token not matched' });
      const inOther = await client.post(
        'probe',
        { appKey: otherApp.appKey, accountID: user.accountID, accessToken: elsewhere, text: '频道测试' },
        { secret: otherApp.secret },
      );
      expect(inOther.body.ERRORCODE).toBe('0');
      await expect(revoke({ accountID: user.accountID })).resolves.toEqual({ revoked: 1 });
      const rows = await audit('token.revoke');
      expect(rows.map((r) => (r.after_state as { revoked: number }).revoked)).toEqual([1, 1, 1]);
      expect(JSON.stringify(rows)).not.toContain(second);
    });

    it('should count every live token once when revocations of the same account race', async () => {
      for (let i = 0; i < 4; i++) {
        await client.admin('POST', '/admin/tokens', { appKey: app.appKey, accountID: user.accountID });
      }
      const answers = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(() => client.admin('POST', '/admin/tokens/revoke', { accountID: user.accountID })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(answers.map((a) => a.body.revoked as number).reduce((x, y) => x + y, 0)).toBe(5);
      const [{ live }] = await t.dataSource.query<Array<{ live: string }>>(
        'SELECT COUNT(*) AS live FROM access_token WHERE account_id = ? AND revoked_at IS NULL',
        [user.accountID],
      );
      expect(Number(live)).toBe(0);
    });

    it.each([
      [{}, 'accountID'],
      [{ appKey: '1234567890' }, 'accountID'],
      [{ accessToken: 'A'.repeat(32), accountID: 'aaaaaaaaaa' }, 'accountID'],
      [{ accessToken: 'A'.repeat(32), appKey: '1' }, 'appKey'],
      [{ accessToken: 'short' }, 'accessToken'],
      [{ accountID: 'aaaaaaaaaa', everywhere: true }, 'everywhere'],
    ])('should answer 400 naming the field for revoke %j', async (body, field) => {
      expect400(await client.admin('POST', '/admin/tokens/revoke', body), field);
      expect((await probe()).body.ERRORCODE).toBe('0');
    });

    it('should answer 404 for revoking in an unknown app or for an unknown account', async () => {
      const unknownApp = await client.admin('POST', '/admin/tokens/revoke', {
        appKey: '42',
        accountID: user.accountID,
      });
      expect(unknownApp.status).toBe(404);
      expect(unknownApp.body.errors).toEqual({ appKey: 'not found' });
      const unknownAccount = await client.admin('POST', '/admin/tokens/revoke', { accountID: 'zzzzzzzzzz' });
      expect(unknownAccount.status).toBe(404);
      expect(unknownAccount.body.errors).toEqual({ accountID: 'not found' });
    });
  });

  describe('accounts', () => {
    it('should read an account, change its nickname and roles, and audit the change', async () => {
      const read = await client.admin('GET', `/admin/accounts/${user.accountID}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ accountID: user.accountID, nickname: '', roles: [], createdAt: expect.any(Number) });
      const patched = await client.admin('PATCH', `/admin/accounts/${user.accountID}`, {
        nickname: '老司机',
        roles: ['reviewer', 'operator'],
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...read.body, nickname: '老司机', roles: ['operator', 'reviewer'] });
      const nickOnly = await client.admin('PATCH', `/admin/accounts/${user.accountID}`, { nickname: 'n' });
      expect(nickOnly.body.roles).toEqual(['operator', 'reviewer']);
      expect((await client.admin('GET', `/admin/accounts/${user.accountID}`)).body).toEqual(nickOnly.body);
      const rows = await audit('account.update');
      expect(rows[0]).toEqual({
        entity_id: user.accountID,
        before_state: { nickname: '', roles: [] },
        after_state: { nickname: '老司机', roles: ['operator', 'reviewer'] },
      });
    });

    it.each([
      [{ roles: ['boss'] }, 'roles'],
      [{ roles: 'operator' }, 'roles'],
      [{ roles: ['operator', 'operator'] }, 'roles'],
      [{ nickname: 'x'.repeat(65) }, 'nickname'],
      [{ accountID: 'bbbbbbbbbb' }, 'accountID'],
    ])('should answer 400 naming the field for PATCH %j and change nothing', async (body, field) => {
      expect400(await client.admin('PATCH', `/admin/accounts/${user.accountID}`, body), field);
      expect((await client.admin('GET', `/admin/accounts/${user.accountID}`)).body.roles).toEqual([]);
    });

    it('should answer 404 for an unknown account and 400 for a malformed accountID', async () => {
      expect((await client.admin('GET', '/admin/accounts/zzzzzzzzzz')).status).toBe(404);
      const patch = await client.admin('PATCH', '/admin/accounts/zzzzzzzzzz', { nickname: 'x' });
      expect(patch.status).toBe(404);
      expect(patch.body.errors).toEqual({ accountID: 'not found' });
      expect400(await client.admin('GET', '/admin/accounts/short'), 'accountID');
    });
  });

  describe('strict admin bodies, lenient partner parameters (API.md 5, 15)', () => {
    it.each([
      ['POST', '/admin/apps', { name: 'x' }],
      ['POST', '/admin/accounts', {}],
      ['POST', '/admin/tokens', {}],
      ['POST', '/admin/tokens/revoke', { accountID: 'aaaaaaaaaa' }],
      ['POST', '/admin/catalogs', { catalogID: '200001', name: 'n', catalogType: 2 }],
      ['PATCH', '/admin/apps/1', {}],
      ['POST', '/admin/apps/1/rotate-secret', {}],
      ['PATCH', '/admin/accounts/aaaaaaaaaa', {}],
      ['PUT', '/admin/presence/aaaaaaaaaa', { online: true }],
      ['PUT', '/admin/temp-channels/12345', { live: true }],
      ['POST', '/admin/micro-channel-edits/1/decision', {}],
    ])('should answer %s %s with an unknown field 400 naming it', async (method, path, body) => {
      const res = await client.admin(method, path, { ...body, unknownField: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({ unknownField: 'is not a field of this route' });
    });

    it('should still ignore unknown partner parameters (they count in the signature)', async () => {
      expect((await probe(app.secret, user, app.appKey, { unknownField: '1' })).body.ERRORCODE).toBe('0');
    });
  });
});
