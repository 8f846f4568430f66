import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../src/common/crypto/secret-cipher';
import { prepareDatabase } from '../src/database/prepare-database';
import { buildTypeOrmOptions } from '../src/database/typeorm-options';
import { buildMigrations } from '../src/database/migrations';
import { appSecretContext } from '../src/access/app-secret-context';
import { createTestApp } from './utils/create-test-app';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';
import { testConfig } from './utils/test-config';

const KEY = '5a'.repeat(32);
const NEXT_KEY = '6b'.repeat(32);
const PLAIN_SECRET = '00112233445566778899AABBCCDDEEFF00112233';
const ALL = buildMigrations();
/** Where CredentialLifecycle sits, and the migrations that came after it. */
const AT = ALL.findIndex((m) => m.name === 'CredentialLifecycle1796155545781');
const FROM_IT_ON = ALL.slice(AT).map((m) => m.name);

/**
 * The CredentialLifecycle migration over a database written before it (plaintext secrets): it encrypts
 * every row under the key the caller passes, refuses to run without one, and an instance then signs with
 * the unchanged secret.
 */
describe('CredentialLifecycle migration (API.md 10)', () => {
  const base = testConfig();
  const database = { ...base.database, database: `${base.database.database}_migration` };

  async function server<T>(fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
    const c = await createConnection({
      host: database.host,
      port: database.port,
      user: database.username,
      password: database.password,
    });
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    await server((c) => c.query(`DROP DATABASE IF EXISTS \`${database.database}\``));
    await server((c) => c.query(`CREATE DATABASE \`${database.database}\``));
    // The schema as it was before this migration, with the plaintext rows of an older deployment.
    // Every migration before CredentialLifecycle, however many come after it.
    const all = buildMigrations();
    const before = new DataSource({
      ...buildTypeOrmOptions(database),
      migrations: all.slice(
        0,
        all.findIndex((m) => m.name === 'CredentialLifecycle1796155545781'),
      ),
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.query(
      "INSERT INTO partner_app (app_key, name, secret) VALUES ('123456789', 'old', ?), ('42', 'x', ?)",
      [PLAIN_SECRET, 'S'],
    );
    await before.query("INSERT INTO account (account_id, nickname, roles) VALUES ('aaaaaaaaaa', '', '')");
    await before.destroy();
  });
  afterAll(() => server((c) => c.query(`DROP DATABASE IF EXISTS \`${database.database}\``)));

  it('should refuse to run without the key while plaintext rows exist, leaving them as they were', async () => {
    await expect(prepareDatabase(database)).rejects.toThrow(/needs the secret cipher/);
    const [rows] = await server((c) =>
      c.query(`SELECT secret FROM \`${database.database}\`.partner_app ORDER BY app_key`),
    );
    expect(rows).toEqual([{ secret: PLAIN_SECRET }, { secret: 'S' }]);
  });

  it('should encrypt every existing secret, drop the plaintext column, and keep the secrets signing', async () => {
    const cipher = new SecretCipher(KEY);
    await expect(prepareDatabase(database, undefined, cipher)).resolves.toEqual(FROM_IT_ON);
    const [columns] = await server((c) =>
      c.query(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'partner_app'",
        [database.database],
      ),
    );
    expect((columns as Array<{ name: string }>).map((c) => c.name)).not.toContain('secret');
    const [rows] = await server((c) =>
      c.query(`SELECT app_key, secret_ciphertext FROM \`${database.database}\`.partner_app ORDER BY app_key`),
    );
    const stored = rows as Array<{ app_key: string; secret_ciphertext: string }>;
    expect(stored.map((r) => cipher.decrypt(r.secret_ciphertext, appSecretContext(r.app_key)))).toEqual([
      PLAIN_SECRET,
      'S',
    ]);
    expect(JSON.stringify(stored)).not.toContain(PLAIN_SECRET);

    // A key change has begun: the new key, the migration's as the old one. Secrets still sign, and the start
    // says a reencryption is due.
    const t = await createTestApp(
      {
        DB_DATABASE: database.database,
        SECRET_ENCRYPTION_KEY: NEXT_KEY,
        SECRET_ENCRYPTION_KEYS_OLD: KEY,
        LOG_LEVEL: 'warn',
      },
      undefined,
      [ProbeModule],
    );
    const logs = ((globalThis as { __capturedLogs?: string[] }).__capturedLogs ?? []).join('');
    expect(logs).toContain('app secrets under an old key: run npm run reencrypt-secrets');
    expect(logs).toContain('"apps":2');
    try {
      const client = new PartnerClient(t.baseUrl);
      const token = await client.admin('POST', '/admin/tokens', { appKey: '123456789', accountID: 'aaaaaaaaaa' });
      const res = await client.post(
        'probe',
        { appKey: '123456789', accountID: 'aaaaaaaaaa', accessToken: token.body.accessToken, text: '迁移测试' },
        { secret: PLAIN_SECRET },
      );
      expect(res.body.ERRORCODE).toBe('0');
    } finally {
      await t.close();
    }
  });

  it('should put the plaintext back when reverted, decrypting with the key it is given', async () => {
    const cipher = new SecretCipher(KEY);
    const dataSource = new DataSource(buildTypeOrmOptions(database, cipher));
    await dataSource.initialize();
    try {
      for (let i = 0; i < FROM_IT_ON.length; i++) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      const rows = await dataSource.query<Array<{ secret: string }>>('SELECT secret FROM partner_app ORDER BY app_key');
      expect(rows).toEqual([{ secret: PLAIN_SECRET }, { secret: 'S' }]);
      await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toHaveLength(FROM_IT_ON.length);
      expect(
        await dataSource.query('SELECT COUNT(*) AS n FROM partner_app WHERE secret_ciphertext LIKE ?', [
          `v1.${cipher.currentKeyId}.%`,
        ]),
      ).toEqual([{ n: '2' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
