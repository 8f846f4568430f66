import { PartnerClient } from './partner-client';

export interface TestPartnerApp {
  appKey: string;
  secret: string;
}

export interface TestAccount {
  accountID: string;
  accessToken: string;
}

/** Provisioning through the real admin API, as an operator would do it. */
export class Fixtures {
  constructor(readonly client: PartnerClient) {}

  async app(requireTimestamp = false): Promise<TestPartnerApp> {
    const res = await this.client.admin('POST', '/admin/apps', { name: 'test-app', requireTimestamp });
    if (res.status !== 201) {
      throw new Error(`create app: ${res.status} ${res.text}`);
    }
    return { appKey: res.body.appKey, secret: res.body.secret };
  }

  async account(
    app: TestPartnerApp,
    options: { accountID?: string; roles?: string[]; ttlSeconds?: number } = {},
  ): Promise<TestAccount> {
    const created = await this.client.admin('POST', '/admin/accounts', {
      accountID: options.accountID,
      roles: options.roles ?? [],
    });
    if (created.status !== 201) {
      throw new Error(`create account: ${created.status} ${created.text}`);
    }
    const accountID = created.body.accountID as string;
    const token = await this.client.admin('POST', '/admin/tokens', {
      appKey: app.appKey,
      accountID,
      ttlSeconds: options.ttlSeconds,
    });
    if (token.status !== 201) {
      throw new Error(`create token: ${token.status} ${token.text}`);
    }
    return { accountID, accessToken: token.body.accessToken };
  }

  async catalog(catalogID: string, catalogType: 0 | 1 | 2, name = `catalog ${catalogID}`): Promise<void> {
    const res = await this.client.admin('POST', '/admin/catalogs', { catalogID, name, catalogType });
    if (res.status !== 201) {
      throw new Error(`create catalog: ${res.status} ${res.text}`);
    }
  }
}
