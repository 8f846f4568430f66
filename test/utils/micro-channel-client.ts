import { Fixtures, TestAccount, TestPartnerApp } from './fixtures';
import { Envelope, HttpAnswer, PartnerClient } from './partner-client';

/** Catalogs the micro-channel tests use: micro only, both kinds, group only. */
export const MICRO_CATALOG = '100101';
export const SHARED_CATALOG = '100102';
export const GROUP_CATALOG = '200001';

export interface MicroWorld {
  app: TestPartnerApp;
  owner: TestAccount;
  /** A second owner. */
  other: TestAccount;
  reviewer: TestAccount;
  reviewer2: TestAccount;
  /** An operator: a company role, but not the reviewer role. */
  operator: TestAccount;
}

/** Provisions an app, owners, reviewers and the catalogs through the admin API. */
export async function provisionMicroWorld(client: PartnerClient): Promise<MicroWorld> {
  const f = new Fixtures(client);
  const app = await f.app();
  const [owner, other, reviewer, reviewer2, operator] = [
    await f.account(app),
    await f.account(app),
    await f.account(app, { roles: ['reviewer'] }),
    await f.account(app, { roles: ['reviewer'] }),
    await f.account(app, { roles: ['operator'] }),
  ];
  await f.catalog(MICRO_CATALOG, 1, '交通');
  await f.catalog(SHARED_CATALOG, 0, '音乐');
  await f.catalog(GROUP_CATALOG, 2, '群聊');
  return { app, owner, other, reviewer, reviewer2, operator };
}

export function applyParams(number: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    channelNumber: number,
    channelName: '交通之声',
    channelIntroduction: '每天早晚的路况播报',
    chiefAnnouncerIntr: '主播是二十年的老司机',
    channelCityCode: '110000',
    channelCatalogID: MICRO_CATALOG,
    channelCatalogUrl: 'http://img.example.com/logo/fm.png',
    channelKeyWords: '路况,交通',
    ...overrides,
  };
}

/** The micro-channel partner routes over real HTTP with real signatures. */
export class MicroClient {
  constructor(
    readonly client: PartnerClient,
    readonly app: TestPartnerApp,
  ) {}

  post(route: string, params: Record<string, string>): Promise<HttpAnswer<Envelope>> {
    return this.client.post(route, { appKey: this.app.appKey, ...params }, { secret: this.app.secret });
  }

  async body(route: string, params: Record<string, string>): Promise<Envelope> {
    const res = await this.post(route, params);
    if (res.status !== 200) {
      throw new Error(`${route}: HTTP ${res.status} ${res.text}`);
    }
    return res.body;
  }

  apply(owner: TestAccount, number: string, overrides: Record<string, string> = {}): Promise<Envelope> {
    return this.body('applyMicroChannel', {
      accountID: owner.accountID,
      accessToken: owner.accessToken,
      ...applyParams(number, overrides),
    });
  }

  checkApply(
    reviewer: TestAccount,
    applyIdx: string,
    checkStatus: string,
    extra: Record<string, string> = {},
  ): Promise<Envelope> {
    return this.body('checkApplyMicroChannel', {
      checkAccountID: reviewer.accountID,
      accessToken: reviewer.accessToken,
      applyIdx,
      checkStatus,
      ...extra,
    });
  }

  modify(owner: TestAccount, number: string, fields: Record<string, string>): Promise<Envelope> {
    return this.body('modifyMicroChannel', {
      accountID: owner.accountID,
      accessToken: owner.accessToken,
      channelNumber: number,
      ...fields,
    });
  }

  info(account: TestAccount, number: string): Promise<Envelope> {
    return this.body('getMicroChannelInfo', {
      accountID: account.accountID,
      accessToken: account.accessToken,
      channelNumber: number,
    });
  }

  list(reviewer: TestAccount, filters: Record<string, string> = {}): Promise<Envelope> {
    return this.body('recheckMicroChannel', {
      checkAccountID: reviewer.accountID,
      accessToken: reviewer.accessToken,
      infoType: '1',
      ...filters,
    });
  }

  decide(reviewer: TestAccount, params: Record<string, string>): Promise<Envelope> {
    return this.body('recheckMicroChannel', {
      checkAccountID: reviewer.accountID,
      accessToken: reviewer.accessToken,
      infoType: '2',
      ...params,
    });
  }

  /** Applies and expects success; returns the applyIdx. */
  async applyOk(owner: TestAccount, number: string, overrides: Record<string, string> = {}): Promise<string> {
    const res = await this.apply(owner, number, overrides);
    if (res.ERRORCODE !== '0') {
      throw new Error(`apply ${number}: ${JSON.stringify(res)}`);
    }
    return (res.RESULT as { applyIdx: string }).applyIdx;
  }

  /** Applies and has the reviewer approve: a live channel. */
  async liveChannel(
    owner: TestAccount,
    reviewer: TestAccount,
    number: string,
    overrides: Record<string, string> = {},
  ): Promise<void> {
    const applyIdx = await this.applyOk(owner, number, overrides);
    const res = await this.checkApply(reviewer, applyIdx, '2');
    if (res.ERRORCODE !== '0') {
      throw new Error(`approve ${number}: ${JSON.stringify(res)}`);
    }
  }

  /** Files an edit and expects success; returns its applyIdx. */
  async modifyOk(owner: TestAccount, number: string, fields: Record<string, string>): Promise<string> {
    const res = await this.modify(owner, number, fields);
    if (res.ERRORCODE !== '0') {
      throw new Error(`modify ${number}: ${JSON.stringify(res)}`);
    }
    return (res.RESULT as { applyIdx: string }).applyIdx;
  }
}
