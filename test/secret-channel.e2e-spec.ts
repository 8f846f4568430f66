import { SecretChannelMembersService } from '../src/secret-channel/secret-channel-members.service';
import { SecretChannelMembershipService } from '../src/secret-channel/secret-channel-membership.service';
import { SecretChannelReadService } from '../src/secret-channel/secret-channel-reads.service';
import { SecretChannelService } from '../src/secret-channel/secret-channel.service';
import { SpeechSynthesisProducer } from '../src/jobs/speech-synthesis/speech-synthesis.producer';
import { TestAccount } from './utils/fixtures';
import { applyParams, expectRefused, SecretWorld } from './utils/secret-channel-world';

describe('secret channel seed routes (e2e)', () => {
  let w: SecretWorld;
  let owner: TestAccount;
  let member: TestAccount;
  let outsider: TestAccount;
  let company: TestAccount;

  beforeAll(async () => {
    w = await SecretWorld.start();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    [owner, member, outsider, company] = await Promise.all([
      w.account(),
      w.account(),
      w.account(),
      w.account(['operator']),
    ]);
  });
  afterEach(() => jest.restoreAllMocks());

  /** A channel of `owner` that `member` joined. */
  async function channelWithMember(
    overrides: Record<string, string> = {},
  ): Promise<{ channelNumber: string; uniqueCode: string }> {
    const c = await w.apply(owner, overrides);
    await w.join(member, c.uniqueCode);
    return c;
  }

  const deleteAccount = (a: TestAccount) => w.query('DELETE FROM account WHERE account_id = ?', [a.accountID]);

  describe('failures every route shares', () => {
    /** Each route with a request that would succeed, so only the injected fault differs. */
    const routes: Array<{
      route: string;
      params: (c: { channelNumber: string; uniqueCode: string }) => Record<string, string>;
      service: 'channels' | 'memberships' | 'members' | 'reads';
      method: string;
    }> = [
      {
        route: 'applySecretChannel',
        params: () => applyParams({ channelName: '另一个频道' }),
        service: 'channels',
        method: 'apply',
      },
      {
        route: 'manageSecretChannelUsers',
        params: (c) => ({
          channelNumber: c.channelNumber,
          infoType: '2',
          curStatus: '2',
          userAccountID: member.accountID,
        }),
        service: 'memberships',
        method: 'setMemberStatus',
      },
      {
        route: 'quitSecretChannel',
        params: (c) => ({ channelNumber: c.channelNumber }),
        service: 'memberships',
        method: 'quit',
      },
      {
        route: 'joinSecretChannel',
        params: (c) => ({ uniqueCode: c.uniqueCode }),
        service: 'memberships',
        method: 'join',
      },
      {
        route: 'getSecretChannelInfo',
        params: (c) => ({ channelNumber: c.channelNumber }),
        service: 'reads',
        method: 'info',
      },
      { route: 'fetchSecretChannel', params: () => ({ infoType: '2' }), service: 'reads', method: 'fetch' },
      {
        route: 'setUserkeyInfo',
        params: (c) => ({ actionType: '4', channelNumber: c.channelNumber }),
        service: 'memberships',
        method: 'setKey',
      },
      {
        route: 'transferSecretChannel',
        params: (c) => ({ receiverAccountID: member.accountID, channelNumber: c.channelNumber }),
        service: 'channels',
        method: 'transfer',
      },
      {
        route: 'dissolveSecretChannel',
        params: (c) => ({ channelNumber: c.channelNumber }),
        service: 'channels',
        method: 'dissolve',
      },
      {
        route: 'setSecretChannelAdmin',
        params: (c) => ({ channelNumber: c.channelNumber, userAccountID: member.accountID, isAdmin: '1' }),
        service: 'members',
        method: 'setAdmin',
      },
      {
        route: 'fetchSecretChannelMembers',
        params: (c) => ({ channelNumber: c.channelNumber }),
        service: 'members',
        method: 'list',
      },
    ];
    // The routes whose acting account is the member rather than the owner.
    const actsAsMember = new Set(['quitSecretChannel', 'setUserkeyInfo']);

    async function setup(route: string): Promise<{ who: TestAccount; params: Record<string, string> }> {
      const entry = routes.find((r) => r.route === route)!;
      const c = await channelWithMember();
      if (route === 'joinSecretChannel') {
        return { who: outsider, params: entry.params(c) };
      }
      return { who: actsAsMember.has(route) ? member : owner, params: entry.params(c) };
    }

    it.each(routes.map((r) => r.route))('should answer ME01002 to an unknown appKey on %s', async (route) => {
      const { who, params } = await setup(route);
      await expectRefused(
        w,
        () =>
          w.client.post(
            route,
            { appKey: '9999999999', accountID: who.accountID, accessToken: who.accessToken, ...params },
            { secret: w.partner.secret },
          ),
        'ME01002',
        'appKey error',
      );
    });

    it.each(routes.map((r) => r.route))('should answer ME01019 to a wrong signature on %s', async (route) => {
      const { who, params } = await setup(route);
      await expectRefused(
        w,
        () =>
          w.client.post(
            route,
            { appKey: w.partner.appKey, accountID: who.accountID, accessToken: who.accessToken, ...params },
            { secret: 'F'.repeat(40) },
          ),
        'ME01019',
        'sign is not match',
      );
    });

    it.each(routes.map((r) => r.route))('should answer ME01023 accessToken without a token on %s', async (route) => {
      const { who, params } = await setup(route);
      await expectRefused(
        w,
        () => w.raw(route, { accountID: who.accountID, ...params }),
        'ME01023',
        'accessToken is error!',
      );
    });

    it.each(routes.map((r) => r.route))("should answer ME01003 to another account's token on %s", async (route) => {
      const { who, params } = await setup(route);
      await expectRefused(
        w,
        () => w.raw(route, { accountID: who.accountID, accessToken: company.accessToken, ...params }),
        'ME01003',
        'access token not matched',
      );
    });

    it.each(routes.map((r) => r.route))('should answer ME01004 to an expired token on %s', async (route) => {
      const { who, params } = await setup(route);
      // A token that ran out a second ago (issued directly: the admin API only issues live ones).
      const expired = { accountID: who.accountID, accessToken: `Expired${route}`.padEnd(32, 'x').slice(0, 32) };
      await w.query(
        'INSERT INTO access_token (token_hash, app_key, account_id, expires_at) VALUES (SHA2(?, 256), ?, ?, ?)',
        [expired.accessToken, w.partner.appKey, who.accountID, new Date(Date.now() - 1000)],
      );
      await expectRefused(w, () => w.call(route, expired, params), 'ME01004', 'access token expired');
    });

    it.each(routes.map((r) => r.route))('should answer ME01024 to an empty body on %s', async (route) => {
      const res = await w.client.raw(`/clientcustom/v2/${route}`, {
        method: 'POST',
        body: '',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(res.text).toBe('{"ERRORCODE":"ME01024","RESULT":"http body is null!"}');
    });

    it.each(routes.map((r) => r.route))(
      'should answer ME18053 when the acting account no longer exists on %s',
      async (route) => {
        const { who, params } = await setup(route);
        await deleteAccount(who);
        await expectRefused(w, () => w.call(route, who, params), 'ME18053', 'this accountID is not exist!');
      },
    );

    it.each(routes.map((r) => r.route))('should answer ME01020 when MySQL fails on %s', async (route) => {
      const { who, params } = await setup(route);
      const before = await w.state();
      await w.query('RENAME TABLE secret_channel TO secret_channel_away');
      try {
        const res = await w.call(route, who, params);
        expect(res.text).toBe('{"ERRORCODE":"ME01020","RESULT":"mysql failed!"}');
      } finally {
        await w.query('RENAME TABLE secret_channel_away TO secret_channel');
      }
      expect(await w.state()).toBe(before);
    });

    it.each(routes.map((r) => r.route))('should answer ME01021 when Redis is unreachable on %s', async (route) => {
      const { who, params } = await setup(route);
      const before = await w.state();
      const redis = w.t.redis.client;
      const ended = new Promise((resolve) => redis.once('end', resolve));
      redis.disconnect();
      await ended;
      try {
        const res = await w.call(route, who, params);
        expect(res.text).toBe('{"ERRORCODE":"ME01021","RESULT":"redis failed!"}');
      } finally {
        await redis.connect();
        expect(await redis.ping()).toBe('PONG');
      }
      expect(await w.state()).toBe(before);
    });

    it.each(routes.map((r) => r.route))('should answer ME01022 when the handler crashes on %s', async (route) => {
      const entry = routes.find((r) => r.route === route)!;
      const { who, params } = await setup(route);
      const target = {
        channels: () => w.t.app.get(SecretChannelService),
        memberships: () => w.t.app.get(SecretChannelMembershipService),
        members: () => w.t.app.get(SecretChannelMembersService),
        reads: () => w.t.app.get(SecretChannelReadService),
      }[entry.service]();
      jest
        .spyOn(target as unknown as Record<string, () => Promise<unknown>>, entry.method)
        .mockRejectedValue(new TypeError('boom'));
      await expectRefused(w, () => w.call(route, who, params), 'ME01022', 'internal data error!');
    });
  });

  describe('applySecretChannel', () => {
    it('should answer the channel number and invitation code and store channel, owner and audit', async () => {
      const res = await w.call(
        'applySecretChannel',
        owner,
        applyParams({ channelKeyWords: '路况,电子眼', isVerify: '0' }),
      );
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.text).toMatch(
        /^\{"ERRORCODE":"0","RESULT":\{"channelNumber":"\d{9}","uniqueCode":"\d{9}\|[0-9a-f]{32}"\}\}$/,
      );
      const { channelNumber, uniqueCode } = res.body.RESULT as { channelNumber: string; uniqueCode: string };
      const [row] = await w.query<Record<string, unknown>>('SELECT * FROM secret_channel WHERE channel_number = ?', [
        channelNumber,
      ]);
      expect(String(row.id).padStart(9, '0')).toBe(channelNumber);
      expect(row).toMatchObject({
        unique_code: uniqueCode,
        owner_account_id: owner.accountID,
        name: '路况分享',
        live_name: '路况分享',
        introduction: '分享交通电子眼的频道',
        city_code: '110000',
        city_name: '北京市',
        catalog_id: '200001',
        catalog_name: '交通',
        logo_url: '',
        keywords: '路况,电子眼',
        open_type: 1,
        is_verify: 0,
        capacity: 1000,
        member_count: 1,
        status: 1,
        voice_url: '',
        app_key: w.partner.appKey,
      });
      expect(await w.member(channelNumber, owner.accountID)).toEqual({ role: 'owner', status: 1, active: 1 });
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.apply'",
      );
      expect(audit).toMatchObject({
        actor_account_id: owner.accountID,
        app_key: w.partner.appKey,
        entity_type: 'secret-channel',
        entity_id: channelNumber,
      });
    });

    it('should take the seed page example body, whose region code 111111 names no division', async () => {
      const seed = {
        channelName: '测试测试',
        channelCatalogUrl: 'http://www.daoke.me/logo.png',
        channelIntroduction: '专d分享交通电子眼的频道',
        openType: '1',
        channelCatalogID: '111111',
        channelCityCode: '111111',
        isVerify: '1',
        channelKeyWords: 'aa,bb,cc,cc',
      };
      await w.fixtures.catalog('111111', 2, '示例类别');
      await expectRefused(w, () => w.call('applySecretChannel', owner, seed), 'ME01023', 'channelCityCode is error!');
      const res = await w.call('applySecretChannel', owner, { ...seed, channelCityCode: '110101' });
      expect(res.body.ERRORCODE).toBe('0');
      const info = await w.info(owner, (res.body.RESULT as { channelNumber: string }).channelNumber);
      expect(info).toMatchObject({
        channelName: '测试测试',
        channelIntroduction: '专d分享交通电子眼的频道',
        cityCode: '110101',
        cityName: '东城区',
        catalogID: '111111',
        catalogName: '示例类别',
        logoURL: 'http://www.daoke.me/logo.png',
        keyWords: 'aa,bb,cc,cc',
        openType: '1',
        isVerify: '1',
      });
    });

    it('should take a multipart body as well', async () => {
      const res = await w.call('applySecretChannel', owner, applyParams(), true);
      expect(res.body.ERRORCODE).toBe('0');
    });

    it.each([
      ['0', '全国'],
      ['110100', '北京市'],
      ['440300', '深圳市'],
      ['500200', '重庆市'],
    ])('should name region %s as %s', async (code, name) => {
      const { channelNumber } = await w.apply(owner, { channelCityCode: code });
      expect((await w.info(owner, channelNumber)).cityName).toBe(name);
    });

    it('should accept catalogs usable by group channels and refuse micro-only or unknown ones', async () => {
      expect(
        (await w.call('applySecretChannel', owner, applyParams({ channelCatalogID: '300001' }))).body.ERRORCODE,
      ).toBe('0');
      await expectRefused(
        w,
        () => w.call('applySecretChannel', owner, applyParams({ channelName: '二号', channelCatalogID: '100001' })),
        'ME01023',
        'channelCatalogID is error!',
      );
      await expectRefused(
        w,
        () => w.call('applySecretChannel', owner, applyParams({ channelName: '二号', channelCatalogID: '999999' })),
        'ME01023',
        'channelCatalogID is error!',
      );
    });

    it('should answer ME18106 once the owner has 10 live channels, closed ones included', async () => {
      const numbers: string[] = [];
      for (let i = 0; i < 10; i++) {
        numbers.push((await w.apply(owner, { channelName: `频道${i}` })).channelNumber);
      }
      await expectRefused(
        w,
        () => w.call('applySecretChannel', owner, applyParams({ channelName: '第十一个' })),
        'ME18106',
        'user channel Maximum',
      );
      await w.call('manageSecretChannelUsers', company, { channelNumber: numbers[0], infoType: '1', curStatus: '2' });
      await expectRefused(
        w,
        () => w.call('applySecretChannel', owner, applyParams({ channelName: '第十一个' })),
        'ME18106',
      );
      expect((await w.call('dissolveSecretChannel', owner, { channelNumber: numbers[1] })).body.ERRORCODE).toBe('0');
      expect((await w.call('applySecretChannel', owner, applyParams({ channelName: '第十一个' }))).body.ERRORCODE).toBe(
        '0',
      );
    });

    it('should answer ME18104 for a second live channel of the same name by the same owner only', async () => {
      const first = await w.apply(owner, { channelName: 'Abc频道' });
      await expectRefused(
        w,
        () => w.call('applySecretChannel', owner, applyParams({ channelName: 'Abc频道' })),
        'ME18104',
        'current user channel already exist',
      );
      expect((await w.call('applySecretChannel', owner, applyParams({ channelName: 'abc频道' }))).body.ERRORCODE).toBe(
        '0',
      );
      expect((await w.call('applySecretChannel', member, applyParams({ channelName: 'Abc频道' }))).body.ERRORCODE).toBe(
        '0',
      );
      await w.call('dissolveSecretChannel', owner, { channelNumber: first.channelNumber });
      expect((await w.call('applySecretChannel', owner, applyParams({ channelName: 'Abc频道' }))).body.ERRORCODE).toBe(
        '0',
      );
    });

    it('should queue the spoken name 群聊频道 + name for the new channel', async () => {
      const enqueue = jest.spyOn(w.t.app.get(SpeechSynthesisProducer), 'enqueue');
      const { channelNumber } = await w.apply(owner, { channelName: '早高峰' });
      expect(enqueue).toHaveBeenCalledWith('群聊频道早高峰', { kind: 'secret-channel', id: channelNumber });
    });

    it('should still create the channel when queuing the spoken name fails', async () => {
      jest.spyOn(w.t.app.get(SpeechSynthesisProducer), 'enqueue').mockRejectedValue(new Error('queue down'));
      const res = await w.call('applySecretChannel', owner, applyParams());
      expect(res.body.ERRORCODE).toBe('0');
      const { channelNumber } = res.body.RESULT as { channelNumber: string };
      expect((await w.channelRow(channelNumber)).voice_url).toBe('');
      expect((await w.info(owner, channelNumber)).voiceURL).toBe('');
    });

    it('should show the voice URL once the speech job writes it back, and report a missing channel', async () => {
      const { channelNumber } = await w.apply(owner);
      const service = w.t.app.get(SecretChannelService);
      await expect(service.writeVoiceUrl(channelNumber, 'http://localhost:3000/media/voice/7.amr')).resolves.toBe(true);
      expect((await w.info(owner, channelNumber)).voiceURL).toBe('http://localhost:3000/media/voice/7.amr');
      await expect(service.writeVoiceUrl('999999999', 'http://localhost:3000/media/voice/8.amr')).resolves.toBe(false);
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.voice'",
      );
      expect(audit).toMatchObject({ actor_account_id: null, entity_id: channelNumber });
    });
  });

  describe('manageSecretChannelUsers', () => {
    const manage = (who: TestAccount, params: Record<string, string>) =>
      w.call('manageSecretChannelUsers', who, params);

    it('should set a member to muted, blacklisted and normal, auditing each change', async () => {
      const { channelNumber } = await channelWithMember();
      for (const [curStatus, status] of [
        ['2', 2],
        ['3', 3],
        ['1', 1],
      ] as const) {
        const res = await manage(owner, { channelNumber, infoType: '2', curStatus, userAccountID: member.accountID });
        expect(res.text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
        expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status, active: 1 });
      }
      const audits = await w.query<{
        actor_account_id: string;
        entity_id: string;
        before_state: unknown;
        after_state: unknown;
      }>(
        "SELECT actor_account_id, entity_id, before_state, after_state FROM audit_log WHERE action = 'secret-channel.member-status' ORDER BY id",
      );
      expect(audits).toHaveLength(3);
      expect(audits[0].actor_account_id).toBe(owner.accountID);
      expect(audits[0].entity_id).toBe(`${channelNumber}:${member.accountID}`);
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
      expect(json(audits[1].before_state)).toMatchObject({ status: 2 });
      expect(json(audits[1].after_state)).toMatchObject({ status: 3 });
    });

    it('should answer ME18105 when the member already has that status', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '1', userAccountID: member.accountID }),
        'ME18105',
        'Repeat submitted',
      );
    });

    it('should answer ME18305 when the manager targets itself', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: owner.accountID }),
        'ME18305',
        'do not manage self',
      );
    });

    it('should answer ME18312 for an account that is not a member', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: outsider.accountID }),
        'ME18312',
        'did not join',
      );
      await w.call('quitSecretChannel', member, { channelNumber });
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: member.accountID }),
        'ME18312',
      );
    });

    it('should answer ME18306 when a plain member manages, or an admin manages the owner or another admin', async () => {
      const { channelNumber, uniqueCode } = await channelWithMember();
      await w.join(outsider, uniqueCode);
      await expectRefused(
        w,
        () => manage(member, { channelNumber, infoType: '2', curStatus: '2', userAccountID: outsider.accountID }),
        'ME18306',
        'you are not manager',
      );
      await w.query("UPDATE secret_channel_member SET role = 'admin' WHERE account_id IN (?, ?)", [
        member.accountID,
        company.accountID,
      ]);
      await expectRefused(
        w,
        () => manage(member, { channelNumber, infoType: '2', curStatus: '2', userAccountID: owner.accountID }),
        'ME18306',
      );
      expect(
        (await manage(member, { channelNumber, infoType: '2', curStatus: '2', userAccountID: outsider.accountID })).body
          .ERRORCODE,
      ).toBe('0');
      await w.join(company, uniqueCode);
      await w.query("UPDATE secret_channel_member SET role = 'admin' WHERE account_id = ?", [company.accountID]);
      await expectRefused(
        w,
        () => manage(member, { channelNumber, infoType: '2', curStatus: '2', userAccountID: company.accountID }),
        'ME18306',
      );
      expect(
        (await manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: company.accountID })).body
          .ERRORCODE,
      ).toBe('0');
    });

    it('should answer ME18109 for an unknown or closed channel', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () =>
          manage(owner, { channelNumber: '999999999', infoType: '2', curStatus: '2', userAccountID: member.accountID }),
        'ME18109',
        'channel number is error',
      );
      await manage(company, { channelNumber, infoType: '1', curStatus: '2' });
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: member.accountID }),
        'ME18109',
      );
    });

    it.each([
      ['2', '4'],
      ['2', '0'],
      ['1', '3'],
      ['1', '4'],
    ])('should answer ME01023 curStatus for infoType %s with curStatus %s', async (infoType, curStatus) => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(company, { channelNumber, infoType, curStatus, userAccountID: member.accountID }),
        'ME01023',
        'curStatus is error!',
      );
    });

    it('should answer ME01023 for a bad infoType, channelNumber or a missing userAccountID', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '3', curStatus: '1', userAccountID: member.accountID }),
        'ME01023',
        'infoType is error!',
      );
      await expectRefused(
        w,
        () => manage(owner, { channelNumber: '12ab5', infoType: '2', curStatus: '2', userAccountID: member.accountID }),
        'ME01023',
        'channelNumber is error!',
      );
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2' }),
        'ME01023',
        'userAccountID is error!',
      );
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: 'short' }),
        'ME01023',
        'userAccountID is error!',
      );
    });

    it('should answer the seed page example: adminAccountID acting on accountID, the token checked for adminAccountID', async () => {
      const { channelNumber } = await channelWithMember();
      // As printed, adminAccountID and accountID are one account: a manager managing itself.
      await expectRefused(
        w,
        () =>
          w.raw('manageSecretChannelUsers', {
            adminAccountID: owner.accountID,
            accountID: owner.accountID,
            channelNumber,
            curStatus: '2',
            infoType: '2',
            accessToken: owner.accessToken,
          }),
        'ME18305',
      );
      await expectRefused(
        w,
        () =>
          w.raw('manageSecretChannelUsers', {
            adminAccountID: owner.accountID,
            accountID: member.accountID,
            channelNumber,
            curStatus: '2',
            infoType: '2',
            accessToken: member.accessToken,
          }),
        'ME01003',
      );
      await expectRefused(
        w,
        () =>
          w.raw('manageSecretChannelUsers', {
            adminAccountID: 'bad',
            accountID: member.accountID,
            channelNumber,
            curStatus: '2',
            infoType: '2',
            accessToken: owner.accessToken,
          }),
        'ME01023',
        'adminAccountID is error!',
      );
      const res = await w.raw('manageSecretChannelUsers', {
        adminAccountID: owner.accountID,
        accountID: member.accountID,
        channelNumber,
        curStatus: '2',
        infoType: '2',
        accessToken: owner.accessToken,
      });
      expect(res.text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 2, active: 1 });
    });

    it('should approve a pending applicant (count grows) and refuse-and-blacklist another', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner, { isVerify: '1' });
      expect((await w.call('joinSecretChannel', member, { uniqueCode, remark: '请通过' })).text).toBe(
        `{"ERRORCODE":"0","RESULT":{"channelNumber":"${channelNumber}","isVerify":"1"}}`,
      );
      await w.join(outsider, uniqueCode);
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 4, active: 1 });
      expect((await w.channelRow(channelNumber)).member_count).toBe(1);
      await expectRefused(
        w,
        () => manage(owner, { channelNumber, infoType: '2', curStatus: '2', userAccountID: member.accountID }),
        'ME18312',
      );
      expect(
        (await manage(owner, { channelNumber, infoType: '2', curStatus: '1', userAccountID: member.accountID })).body
          .ERRORCODE,
      ).toBe('0');
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 1, active: 1 });
      expect((await w.channelRow(channelNumber)).member_count).toBe(2);
      expect(
        (await manage(owner, { channelNumber, infoType: '2', curStatus: '3', userAccountID: outsider.accountID })).body
          .ERRORCODE,
      ).toBe('0');
      expect(await w.member(channelNumber, outsider.accountID)).toEqual({ role: 'member', status: 3, active: 0 });
      expect((await w.channelRow(channelNumber)).member_count).toBe(2);
      await expectRefused(w, () => w.call('joinSecretChannel', outsider, { uniqueCode }), 'ME18314');
    });

    it('should unbind the keys a member had on the channel when blacklisting it', async () => {
      const { channelNumber } = await channelWithMember();
      await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber });
      expect(
        (await manage(owner, { channelNumber, infoType: '2', curStatus: '3', userAccountID: member.accountID })).body
          .ERRORCODE,
      ).toBe('0');
      expect(await w.query('SELECT * FROM secret_channel_key_binding')).toEqual([]);
    });

    it('should let an operator close and reopen a channel, with ME18105 for the same status', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(w, () => manage(company, { channelNumber, infoType: '1', curStatus: '1' }), 'ME18105');
      expect((await manage(company, { channelNumber, infoType: '1', curStatus: '2' })).text).toBe(
        '{"ERRORCODE":"0","RESULT":"ok"}',
      );
      expect((await w.channelRow(channelNumber)).status).toBe(2);
      await expectRefused(w, () => manage(company, { channelNumber, infoType: '1', curStatus: '2' }), 'ME18105');
      // the seed's form: the operator named by adminAccountID
      const reopen = await w.raw('manageSecretChannelUsers', {
        adminAccountID: company.accountID,
        accountID: owner.accountID,
        channelNumber,
        infoType: '1',
        curStatus: '1',
        accessToken: company.accessToken,
      });
      expect(reopen.body.ERRORCODE).toBe('0');
      expect((await w.channelRow(channelNumber)).status).toBe(1);
      const audits = await w.query<{ action: string; actor_account_id: string }>(
        "SELECT action, actor_account_id FROM audit_log WHERE entity_type = 'secret-channel' AND action IN ('secret-channel.close','secret-channel.reopen') ORDER BY id",
      );
      expect(audits).toEqual([
        { action: 'secret-channel.close', actor_account_id: company.accountID },
        { action: 'secret-channel.reopen', actor_account_id: company.accountID },
      ]);
    });

    it('should answer ME18306 to infoType 1 from an account without the operator role, even the owner', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(w, () => manage(owner, { channelNumber, infoType: '1', curStatus: '2' }), 'ME18306');
      const reviewer = await w.account(['reviewer']);
      await expectRefused(w, () => manage(reviewer, { channelNumber, infoType: '1', curStatus: '2' }), 'ME18306');
    });

    it('should answer ME18109 to infoType 1 on an unknown or dissolved channel', async () => {
      const { channelNumber } = await channelWithMember();
      await expectRefused(
        w,
        () => manage(company, { channelNumber: '999999999', infoType: '1', curStatus: '2' }),
        'ME18109',
      );
      await w.call('dissolveSecretChannel', owner, { channelNumber });
      await expectRefused(w, () => manage(company, { channelNumber, infoType: '1', curStatus: '1' }), 'ME18109');
    });
  });

  describe('quitSecretChannel', () => {
    it('should end the membership, decrement the count and audit, answering "ok"', async () => {
      const { channelNumber } = await channelWithMember();
      const res = await w.call('quitSecretChannel', member, { channelNumber });
      expect(res.text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 1, active: 0 });
      expect((await w.channelRow(channelNumber)).member_count).toBe(1);
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.quit'",
      );
      expect(audit).toMatchObject({
        actor_account_id: member.accountID,
        entity_id: `${channelNumber}:${member.accountID}`,
      });
    });

    it('should answer the seed page example (channel 000000000 does not exist) with ME18109', async () => {
      await channelWithMember();
      await expectRefused(
        w,
        () => w.call('quitSecretChannel', member, { channelNumber: '000000000' }),
        'ME18109',
        'channel number is error',
      );
    });

    it('should answer ME18312 to a second quit and to an outsider', async () => {
      const { channelNumber } = await channelWithMember();
      await w.call('quitSecretChannel', member, { channelNumber });
      await expectRefused(w, () => w.call('quitSecretChannel', member, { channelNumber }), 'ME18312', 'did not join');
      await expectRefused(w, () => w.call('quitSecretChannel', outsider, { channelNumber }), 'ME18312');
    });

    it('should answer ME18311 while a key is bound, checked before ME18313 for the owner', async () => {
      const { channelNumber } = await channelWithMember();
      await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber });
      await expectRefused(
        w,
        () => w.call('quitSecretChannel', member, { channelNumber }),
        'ME18311',
        'current channel is binded',
      );
      await w.call('setUserkeyInfo', owner, { actionType: '5', channelNumber });
      await expectRefused(w, () => w.call('quitSecretChannel', owner, { channelNumber }), 'ME18311');
      await w.call('setUserkeyInfo', owner, { actionType: '5', channelNumber: '' });
      await expectRefused(w, () => w.call('quitSecretChannel', owner, { channelNumber }), 'ME18313', 'deny quit');
    });

    it('should answer ME18109 for a closed or dissolved channel', async () => {
      const { channelNumber } = await channelWithMember();
      await w.call('manageSecretChannelUsers', company, { channelNumber, infoType: '1', curStatus: '2' });
      await expectRefused(w, () => w.call('quitSecretChannel', member, { channelNumber }), 'ME18109');
      await w.call('manageSecretChannelUsers', company, { channelNumber, infoType: '1', curStatus: '1' });
      await w.call('dissolveSecretChannel', owner, { channelNumber });
      await expectRefused(w, () => w.call('quitSecretChannel', member, { channelNumber }), 'ME18109');
    });

    it('should let a pending applicant withdraw without moving the count', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner, { isVerify: '1' });
      await w.join(member, uniqueCode);
      expect((await w.call('quitSecretChannel', member, { channelNumber })).body.ERRORCODE).toBe('0');
      expect((await w.channelRow(channelNumber)).member_count).toBe(1);
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 4, active: 0 });
    });
  });
});
