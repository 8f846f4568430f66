import { createTestApp, resetState, TestApp } from './create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './fixtures';
import { Envelope, HttpAnswer, PartnerClient } from './partner-client';

export const GROUP_CATALOG = '200001';
export const MICRO_CATALOG = '100001';
export const SHARED_CATALOG = '300001';

/** A valid apply body without the account fields; tests override single parameters. */
export function applyParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    channelName: '路况分享',
    channelIntroduction: '分享交通电子眼的频道',
    channelCityCode: '110000',
    channelCatalogID: GROUP_CATALOG,
    openType: '1',
    ...overrides,
  };
}

/**
 * The secret-channel e2e world: the real app over real HTTP, a partner app, catalogs, and accounts
 * with tokens. `call` signs every request with the app's secret.
 */
export class SecretWorld {
  client: PartnerClient;
  fixtures: Fixtures;
  partner: TestPartnerApp;

  constructor(readonly t: TestApp) {
    this.client = new PartnerClient(t.baseUrl);
    this.fixtures = new Fixtures(this.client);
  }

  static async start(overrides: Record<string, string> = {}): Promise<SecretWorld> {
    return new SecretWorld(await createTestApp(overrides));
  }

  async reset(): Promise<void> {
    await resetState(this.t);
    this.partner = await this.fixtures.app();
    await this.fixtures.catalog(GROUP_CATALOG, 2, '交通');
    await this.fixtures.catalog(MICRO_CATALOG, 1, '微频道类');
    await this.fixtures.catalog(SHARED_CATALOG, 0, '通用');
  }

  account(roles: string[] = [], accountID?: string): Promise<TestAccount> {
    return this.fixtures.account(this.partner, { roles, accountID });
  }

  /** A signed request acting as `who` (accountID + accessToken), plus `params`. */
  call(
    route: string,
    who: TestAccount | null,
    params: Record<string, string> = {},
    multipart = false,
  ): Promise<HttpAnswer<Envelope>> {
    const base: Record<string, string> = { appKey: this.partner.appKey };
    if (who) {
      base.accountID = who.accountID;
      base.accessToken = who.accessToken;
    }
    return this.client.post(route, { ...base, ...params }, { secret: this.partner.secret, multipart });
  }

  /** Sends exactly these parameters (plus appKey), signed. */
  raw(route: string, params: Record<string, string>): Promise<HttpAnswer<Envelope>> {
    return this.client.post(route, { appKey: this.partner.appKey, ...params }, { secret: this.partner.secret });
  }

  async apply(
    owner: TestAccount,
    overrides: Record<string, string> = {},
  ): Promise<{ channelNumber: string; uniqueCode: string }> {
    const res = await this.call('applySecretChannel', owner, applyParams(overrides));
    if (res.body.ERRORCODE !== '0') {
      throw new Error(`apply failed: ${res.text}`);
    }
    return res.body.RESULT as { channelNumber: string; uniqueCode: string };
  }

  async join(who: TestAccount, uniqueCode: string): Promise<void> {
    const res = await this.call('joinSecretChannel', who, { uniqueCode });
    if (res.body.ERRORCODE !== '0') {
      throw new Error(`join failed: ${res.text}`);
    }
  }

  async info(who: TestAccount, channelNumber: string): Promise<Record<string, string>> {
    const res = await this.call('getSecretChannelInfo', who, { channelNumber });
    if (res.body.ERRORCODE !== '0') {
      throw new Error(`info failed: ${res.text}`);
    }
    return res.body.RESULT as Record<string, string>;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.t.dataSource.query<T[]>(sql, params);
  }

  /**
   * Everything this feature stores, plus the audit trail: compared before and after a failed request.
   * The spoken-name write-back is left out: the speech-synthesis job finishes on its own schedule,
   * independently of the request under test.
   */
  async state(): Promise<string> {
    const [channels, members, keys, audit] = await Promise.all([
      this.query<Record<string, unknown>>('SELECT * FROM secret_channel ORDER BY id'),
      this.query('SELECT * FROM secret_channel_member ORDER BY id'),
      this.query('SELECT * FROM secret_channel_key_binding ORDER BY account_id, action_type'),
      this.query("SELECT COUNT(*) AS n FROM audit_log WHERE action <> 'secret-channel.voice'"),
    ]);
    const withoutVoice = channels.map(({ voice_url: _voice, updated_at: _updated, ...rest }) => rest);
    return JSON.stringify({ channels: withoutVoice, members, keys, audit });
  }

  async member(
    channelNumber: string,
    accountID: string,
  ): Promise<{ role: string; status: number; active: number } | undefined> {
    const [row] = await this.query<{ role: string; status: number; active: number }>(
      `SELECT m.role, m.status, m.active FROM secret_channel_member m JOIN secret_channel c ON c.id = m.channel_id
       WHERE c.channel_number = ? AND m.account_id = ?`,
      [channelNumber, accountID],
    );
    return row;
  }

  async channelRow(
    channelNumber: string,
  ): Promise<{ status: number; member_count: number; owner_account_id: string; voice_url: string }> {
    const [row] = await this.query<{
      status: number;
      member_count: number;
      owner_account_id: string;
      voice_url: string;
    }>('SELECT status, member_count, owner_account_id, voice_url FROM secret_channel WHERE channel_number = ?', [
      channelNumber,
    ]);
    return row;
  }

  close(): Promise<void> {
    return this.t.close();
  }
}

/** Expects the answer to be this failure and the stored state not to have moved. */
export async function expectRefused(
  world: SecretWorld,
  request: () => Promise<HttpAnswer<Envelope>>,
  code: string,
  result?: string,
): Promise<void> {
  const before = await world.state();
  const res = await request();
  expect(res.status).toBe(200);
  expect(res.body.ERRORCODE).toBe(code);
  if (result !== undefined) {
    expect(res.body.RESULT).toBe(result);
  }
  expect(await world.state()).toBe(before);
}
