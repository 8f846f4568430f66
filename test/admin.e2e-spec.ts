import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { PartnerClient } from './utils/partner-client';

describe('admin API (API.md 7)', () => {
  let t: TestApp;
  let client: PartnerClient;

  beforeAll(async () => {
    t = await createTestApp();
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(() => t.close());
  beforeEach(() => resetState(t));

  describe('auth', () => {
    it.each([
      ['POST', '/admin/apps', { name: 'x' }],
      ['POST', '/admin/accounts', {}],
      ['POST', '/admin/tokens', { appKey: '1', accountID: 'aaaaaaaaaa' }],
      ['POST', '/admin/catalogs', { catalogID: '200001', name: 'n', catalogType: 2 }],
      ['GET', '/admin/catalogs', undefined],
      ['GET', '/admin/audit', undefined],
    ])('should refuse %s %s without the bearer token or with a wrong one', async (method, path, body) => {
      expect((await client.admin(method, path, body, null)).status).toBe(401);
      expect((await client.admin(method, path, body, 'wrong-token-wrong-token-wrong')).status).toBe(401);
      const basic = await client.raw(path, { method, headers: { Authorization: 'Basic abc' } });
      expect(basic.status).toBe(401);
    });
  });

  describe('POST /admin/apps', () => {
    it('should create an app with a 10-digit appKey and a 40-hex secret shown once', async () => {
      const res = await client.admin('POST', '/admin/apps', { name: 'car app', requireTimestamp: true });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        appKey: expect.stringMatching(/^\d{10}$/),
        secret: expect.stringMatching(/^[0-9A-F]{40}$/),
        name: 'car app',
        requireTimestamp: true,
      });
      const [row] = await t.dataSource.query<Array<{ name: string; require_timestamp: number }>>(
        'SELECT name, require_timestamp FROM partner_app WHERE app_key = ?',
        [res.body.appKey],
      );
      expect(row).toEqual({ name: 'car app', require_timestamp: 1 });
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 'ok', requireTimestamp: 'yes' }, 'requireTimestamp'],
    ])('should answer 400 naming the field for %j', async (body, field) => {
      const res = await client.admin('POST', '/admin/apps', body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it('should answer 400 JSON for a body that is not JSON', async () => {
      const res = await client.raw<any>('/admin/apps', {
        method: 'POST',
        headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef', 'Content-Type': 'application/json' },
        body: '{"name":',
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: 'body is not valid JSON',
        errors: { body: 'body is not valid JSON' },
      });
    });
  });

  describe('POST /admin/accounts', () => {
    it('should create an account with the given id and roles, and generate one when absent', async () => {
      const given = await client.admin('POST', '/admin/accounts', {
        accountID: 'Reviewer01',
        nickname: '审核员',
        roles: ['reviewer', 'operator'],
      });
      expect(given.status).toBe(201);
      expect(given.body).toEqual({ accountID: 'Reviewer01', nickname: '审核员', roles: ['operator', 'reviewer'] });
      const generated = await client.admin('POST', '/admin/accounts', {});
      expect(generated.status).toBe(201);
      expect(generated.body.accountID).toMatch(/^[a-z0-9]{10}$/);
      expect(generated.body.roles).toEqual([]);
    });

    it('should answer 409 for an accountID that exists', async () => {
      expect((await client.admin('POST', '/admin/accounts', { accountID: 'aaaaaaaaaa' })).status).toBe(201);
      const dup = await client.admin('POST', '/admin/accounts', { accountID: 'aaaaaaaaaa' });
      expect(dup.status).toBe(409);
      expect(dup.body.errors).toEqual({ accountID: 'already exists' });
    });

    it('should treat accountIDs as case-sensitive', async () => {
      expect((await client.admin('POST', '/admin/accounts', { accountID: 'aaaaaaaaaa' })).status).toBe(201);
      expect((await client.admin('POST', '/admin/accounts', { accountID: 'AAAAAAAAAA' })).status).toBe(201);
    });

    it.each([
      [{ accountID: 'short' }, 'accountID'],
      [{ accountID: 'aaaaaaaaa!' }, 'accountID'],
      [{ roles: ['king'] }, 'roles'],
      [{ roles: 'reviewer' }, 'roles'],
      [{ nickname: 'n'.repeat(65) }, 'nickname'],
    ])('should answer 400 naming the field for %j', async (body, field) => {
      const res = await client.admin('POST', '/admin/accounts', body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });
  });

  describe('POST /admin/tokens', () => {
    it('should issue a 32-character token with its expiry', async () => {
      const app = await client.admin('POST', '/admin/apps', { name: 'a' });
      await client.admin('POST', '/admin/accounts', { accountID: 'aaaaaaaaaa' });
      const before = Math.floor(Date.now() / 1000);
      const res = await client.admin('POST', '/admin/tokens', {
        appKey: app.body.appKey,
        accountID: 'aaaaaaaaaa',
        ttlSeconds: 3600,
      });
      expect(res.status).toBe(201);
      expect(res.body.accessToken).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(res.body.expiresAt).toBeGreaterThanOrEqual(before + 3600);
      expect(res.body.expiresAt).toBeLessThanOrEqual(before + 3602);
    });

    it('should answer 404 naming the unknown app or account', async () => {
      const app = await client.admin('POST', '/admin/apps', { name: 'a' });
      const noApp = await client.admin('POST', '/admin/tokens', { appKey: '9999999999', accountID: 'aaaaaaaaaa' });
      expect(noApp.status).toBe(404);
      expect(noApp.body.errors).toEqual({ appKey: 'not found' });
      const noAccount = await client.admin('POST', '/admin/tokens', {
        appKey: app.body.appKey,
        accountID: 'bbbbbbbbbb',
      });
      expect(noAccount.status).toBe(404);
      expect(noAccount.body.errors).toEqual({ accountID: 'not found' });
    });

    it.each([
      [{ accountID: 'aaaaaaaaaa' }, 'appKey'],
      [{ appKey: '12345678901', accountID: 'aaaaaaaaaa' }, 'appKey'],
      [{ appKey: '1', accountID: 'a' }, 'accountID'],
      [{ appKey: '1', accountID: 'aaaaaaaaaa', ttlSeconds: 0 }, 'ttlSeconds'],
      [{ appKey: '1', accountID: 'aaaaaaaaaa', ttlSeconds: 1.5 }, 'ttlSeconds'],
    ])('should answer 400 naming the field for %j', async (body, field) => {
      const res = await client.admin('POST', '/admin/tokens', body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });
  });

  describe('catalogs', () => {
    it('should create, list and refuse a duplicate catalog', async () => {
      const res = await client.admin('POST', '/admin/catalogs', { catalogID: '200001', name: '交通', catalogType: 2 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ catalogID: '200001', name: '交通', catalogType: 2 });
      const dup = await client.admin('POST', '/admin/catalogs', { catalogID: '200001', name: 'other', catalogType: 0 });
      expect(dup.status).toBe(409);
      const list = await client.admin('GET', '/admin/catalogs');
      expect(list.body).toEqual([{ catalogID: '200001', name: '交通', catalogType: 2 }]);
    });

    it.each([
      [{ catalogID: '12345', name: 'n', catalogType: 0 }, 'catalogID'],
      [{ catalogID: '123456789012', name: 'n', catalogType: 0 }, 'catalogID'],
      [{ catalogID: '123456', name: '', catalogType: 0 }, 'name'],
      [{ catalogID: '123456', name: 'n', catalogType: 3 }, 'catalogType'],
      [{ catalogID: '123456', name: 'n' }, 'catalogType'],
    ])('should answer 400 naming the field for %j', async (body, field) => {
      const res = await client.admin('POST', '/admin/catalogs', body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });
  });

  describe('GET /admin/audit', () => {
    it('should list audit rows newest first with filters and paging', async () => {
      await t.dataSource.query(
        "INSERT INTO audit_log (actor_account_id, action, entity_type, entity_id, after_state) VALUES ('aaaaaaaaaa', 'first', 'thing', '1', '{\"a\":1}'), ('bbbbbbbbbb', 'second', 'thing', '2', NULL), ('aaaaaaaaaa', 'third', 'other', '1', NULL)",
      );
      const all = await client.admin('GET', '/admin/audit');
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((i: { action: string }) => i.action)).toEqual(['third', 'second', 'first']);
      expect(all.body.items[2].after).toEqual({ a: 1 });
      const byActor = await client.admin('GET', '/admin/audit?accountID=aaaaaaaaaa&limit=1');
      expect(byActor.body.total).toBe(2);
      expect(byActor.body.items.map((i: { action: string }) => i.action)).toEqual(['third']);
      const byEntity = await client.admin('GET', '/admin/audit?entityType=thing&entityId=2');
      expect(byEntity.body.items.map((i: { action: string }) => i.action)).toEqual(['second']);
      expect((await client.admin('GET', '/admin/audit?limit=501')).status).toBe(400);
    });
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('should not exist (404) when ADMIN_TOKEN is unset', async () => {
    const t = await createTestApp({ ADMIN_TOKEN: '' });
    try {
      const client = new PartnerClient(t.baseUrl);
      const res = await client.admin('POST', '/admin/apps', { name: 'x' });
      expect(res.status).toBe(404);
      expect((await client.admin('GET', '/admin/catalogs', undefined, null)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
