import { TestAccount } from './utils/fixtures';
import { applyParams, expectRefused, SecretWorld } from './utils/secret-channel-world';

describe('secret channel companion routes (e2e)', () => {
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

  describe('joinSecretChannel', () => {
    it('should join a channel without approval and count the member', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      const res = await w.call('joinSecretChannel', member, { uniqueCode, remark: "hi'; --" });
      expect(res.text).toBe(`{"ERRORCODE":"0","RESULT":{"channelNumber":"${channelNumber}","isVerify":"0"}}`);
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 1, active: 1 });
      const [row] = await w.query<{ remark: string }>('SELECT remark FROM secret_channel_member WHERE account_id = ?', [
        member.accountID,
      ]);
      expect(row.remark).toBe("hi'; --");
      expect((await w.channelRow(channelNumber)).member_count).toBe(2);
    });

    it('should answer ME18107 for a code that matches no live channel', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', member, { uniqueCode: `${channelNumber}|${'0'.repeat(32)}` }),
        'ME18107',
        'uniquecode is error',
      );
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', member, { uniqueCode: `999999999|${uniqueCode.split('|')[1]}` }),
        'ME18107',
      );
      await w.call('dissolveSecretChannel', owner, { channelNumber });
      await expectRefused(w, () => w.call('joinSecretChannel', member, { uniqueCode }), 'ME18107');
    });

    it('should answer ME18308 to the owner', async () => {
      const { uniqueCode } = await w.apply(owner);
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', owner, { uniqueCode }),
        'ME18308',
        'do not join yourself',
      );
    });

    it('should answer ME18309 to a member and to an applicant still waiting', async () => {
      const open = await w.apply(owner);
      await w.join(member, open.uniqueCode);
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', member, { uniqueCode: open.uniqueCode }),
        'ME18309',
        'already joined',
      );
      const verified = await w.apply(owner, { channelName: '审核频道', isVerify: '1' });
      await w.join(member, verified.uniqueCode);
      await expectRefused(w, () => w.call('joinSecretChannel', member, { uniqueCode: verified.uniqueCode }), 'ME18309');
    });

    it('should answer ME18314 to a blacklisted former member', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await w.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus: '3',
        userAccountID: member.accountID,
      });
      await w.call('quitSecretChannel', member, { channelNumber });
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', member, { uniqueCode }),
        'ME18314',
        'current user is BLACK',
      );
    });

    it('should keep a muted member muted across quit and re-join', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await w.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus: '2',
        userAccountID: member.accountID,
      });
      await w.call('quitSecretChannel', member, { channelNumber });
      await w.join(member, uniqueCode);
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 2, active: 1 });
    });

    it('should answer ME01023 to a malformed code or an overlong remark', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      for (const bad of [
        uniqueCode.toUpperCase(),
        channelNumber,
        `${channelNumber}|abc`,
        uniqueCode.replace('|', ':'),
        `${uniqueCode}0`,
      ]) {
        await expectRefused(
          w,
          () => w.call('joinSecretChannel', member, { uniqueCode: bad }),
          'ME01023',
          'uniqueCode is error!',
        );
      }
      await expectRefused(
        w,
        () => w.call('joinSecretChannel', member, { uniqueCode, remark: '长'.repeat(129) }),
        'ME01023',
        'remark is error!',
      );
      expect((await w.call('joinSecretChannel', member, { uniqueCode, remark: '长'.repeat(128) })).body.ERRORCODE).toBe(
        '0',
      );
    });
  });

  describe('getSecretChannelInfo', () => {
    it("should describe the channel and the caller's membership, role, status and keys", async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner, {
        channelCatalogUrl: 'https://img.example/a.PNG',
        channelKeyWords: 'x,y',
        isVerify: '0',
        openType: '0',
      });
      await w.join(member, uniqueCode);
      await w.call('setUserkeyInfo', member, { actionType: '5', channelNumber });
      await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber });
      const [{ created_at }] = await w.query<{ created_at: Date }>('SELECT created_at FROM secret_channel');
      const res = await w.call('getSecretChannelInfo', member, { channelNumber });
      expect(res.body).toEqual({
        ERRORCODE: '0',
        RESULT: {
          channelNumber,
          channelName: '路况分享',
          channelIntroduction: '分享交通电子眼的频道',
          cityCode: '110000',
          cityName: '北京市',
          catalogID: '200001',
          catalogName: '交通',
          logoURL: 'https://img.example/a.PNG',
          keyWords: 'x,y',
          openType: '0',
          isVerify: '0',
          capacity: '1000',
          memberCount: '2',
          ownerAccountID: owner.accountID,
          channelStatus: '1',
          // filled in whenever the speech-synthesis job for the name has finished
          voiceURL: expect.stringMatching(/^(|https?:\/\/.+\.amr)$/),
          createTime: String(Math.floor(new Date(created_at).getTime() / 1000)),
          uniqueCode,
          isJoined: '1',
          role: 'member',
          memberStatus: '1',
          bindKey: '4,5',
        },
      });
    });

    it('should hide the invitation code of a private channel from non-members and applicants', async () => {
      const priv = await w.apply(owner, { openType: '0', isVerify: '1' });
      expect(await w.info(outsider, priv.channelNumber)).toMatchObject({
        uniqueCode: '',
        isJoined: '0',
        role: '',
        memberStatus: '',
        bindKey: '',
      });
      await w.join(member, priv.uniqueCode);
      expect(await w.info(member, priv.channelNumber)).toMatchObject({
        uniqueCode: '',
        isJoined: '1',
        memberStatus: '4',
      });
      const pub = await w.apply(owner, { channelName: '公开频道', openType: '1' });
      expect((await w.info(outsider, pub.channelNumber)).uniqueCode).toBe(pub.uniqueCode);
    });

    it('should answer ME18109 for an unknown, closed or dissolved channel and ME01023 for a malformed number', async () => {
      const { channelNumber } = await w.apply(owner);
      await expectRefused(w, () => w.call('getSecretChannelInfo', owner, { channelNumber: '123456789' }), 'ME18109');
      // A legacy-length number is well-formed (API.md 15), just unknown here.
      await expectRefused(w, () => w.call('getSecretChannelInfo', owner, { channelNumber: '10086' }), 'ME18109');
      await expectRefused(
        w,
        () => w.call('getSecretChannelInfo', owner, { channelNumber: '1234' }),
        'ME01023',
        'channelNumber is error!',
      );
      await w.call('manageSecretChannelUsers', company, { channelNumber, infoType: '1', curStatus: '2' });
      await expectRefused(w, () => w.call('getSecretChannelInfo', owner, { channelNumber }), 'ME18109');
    });
  });

  describe('fetchSecretChannel', () => {
    const fetch = (who: TestAccount, params: Record<string, string>) => w.call('fetchSecretChannel', who, params);
    const numbersOf = (result: { list: Array<{ channelNumber: string }> }) => result.list.map((c) => c.channelNumber);

    it('should list public open channels, most members first, with the total as a string', async () => {
      const a = await w.apply(owner, { channelName: '甲频道' });
      const b = await w.apply(owner, { channelName: '乙频道' });
      await w.apply(owner, { channelName: '私有频道', openType: '0' });
      const closed = await w.apply(owner, { channelName: '关闭频道' });
      await w.call('manageSecretChannelUsers', company, {
        channelNumber: closed.channelNumber,
        infoType: '1',
        curStatus: '2',
      });
      await w.join(member, b.uniqueCode);
      const res = await fetch(outsider, { infoType: '1' });
      expect(res.body.ERRORCODE).toBe('0');
      expect(res.body.RESULT.count).toBe('2');
      expect(numbersOf(res.body.RESULT)).toEqual([b.channelNumber, a.channelNumber]);
      expect(res.body.RESULT.list[0]).toMatchObject({ memberCount: '2', uniqueCode: b.uniqueCode, isJoined: '0' });
    });

    it('should break ties in member count by age, oldest first, on every page', async () => {
      const a = await w.apply(owner, { channelName: '甲频道' });
      const b = await w.apply(owner, { channelName: '乙频道' });
      const c = await w.apply(owner, { channelName: '丙频道' });
      const d = await w.apply(owner, { channelName: '丁频道' });
      await w.join(member, c.uniqueCode);
      const expected = [c.channelNumber, a.channelNumber, b.channelNumber, d.channelNumber];
      expect(numbersOf((await fetch(outsider, { infoType: '1' })).body.RESULT)).toEqual(expected);
      const pages: string[] = [];
      for (const startPage of ['1', '2']) {
        pages.push(...numbersOf((await fetch(outsider, { infoType: '1', startPage, pageCount: '2' })).body.RESULT));
      }
      expect(pages).toEqual(expected);
    });

    it('should list owned channels (closed ones too) and joined ones, newest first', async () => {
      const a = await w.apply(owner, { channelName: '甲频道' });
      const b = await w.apply(owner, { channelName: '乙频道', openType: '0' });
      const other = await w.apply(outsider, { channelName: '别人的' });
      await w.call('manageSecretChannelUsers', company, {
        channelNumber: a.channelNumber,
        infoType: '1',
        curStatus: '2',
      });
      const owned = await fetch(owner, { infoType: '2' });
      expect(owned.body.RESULT.count).toBe('2');
      expect(numbersOf(owned.body.RESULT)).toEqual([b.channelNumber, a.channelNumber]);
      expect(owned.body.RESULT.list[1]).toMatchObject({ channelStatus: '2', role: 'owner' });
      await w.join(member, b.uniqueCode);
      await w.join(member, other.uniqueCode);
      const joined = await fetch(member, { infoType: '3' });
      expect(numbersOf(joined.body.RESULT)).toEqual([other.channelNumber, b.channelNumber]);
      expect((await fetch(owner, { infoType: '3' })).body.RESULT).toEqual({ count: '0', list: [] });
    });

    it('should filter by city, catalog, name and keyword, treating LIKE wildcards as text', async () => {
      const a = await w.apply(owner, {
        channelName: 'Road_100%',
        channelCityCode: '440300',
        channelKeyWords: '路况,拥堵',
      });
      const b = await w.apply(owner, { channelName: 'Roadside', channelCatalogID: '300001', channelKeyWords: '美食' });
      expect(numbersOf((await fetch(member, { infoType: '1', cityCode: '440300' })).body.RESULT)).toEqual([
        a.channelNumber,
      ]);
      expect(numbersOf((await fetch(member, { infoType: '1', catalogID: '300001' })).body.RESULT)).toEqual([
        b.channelNumber,
      ]);
      expect(numbersOf((await fetch(member, { infoType: '1', channelName: 'road' })).body.RESULT).sort()).toEqual(
        [a.channelNumber, b.channelNumber].sort(),
      );
      expect(numbersOf((await fetch(member, { infoType: '1', channelName: '_100%' })).body.RESULT)).toEqual([
        a.channelNumber,
      ]);
      expect(numbersOf((await fetch(member, { infoType: '1', channelName: '%' })).body.RESULT)).toEqual([
        a.channelNumber,
      ]);
      expect(numbersOf((await fetch(member, { infoType: '1', channelKeyWords: '拥堵' })).body.RESULT)).toEqual([
        a.channelNumber,
      ]);
      expect(
        (await fetch(member, { infoType: '1', cityCode: '', catalogID: '', channelName: '' })).body.RESULT.count,
      ).toBe('2');
    });

    it('should page with startPage and pageCount while count stays the total', async () => {
      const numbers: string[] = [];
      for (let i = 0; i < 5; i++) {
        numbers.push((await w.apply(owner, { channelName: `频道${i}` })).channelNumber);
      }
      const page2 = await fetch(owner, { infoType: '2', startPage: '2', pageCount: '2' });
      expect(page2.body.RESULT.count).toBe('5');
      expect(numbersOf(page2.body.RESULT)).toEqual([numbers[2], numbers[1]]);
      const page9 = await fetch(owner, { infoType: '2', startPage: '9', pageCount: '2' });
      expect(page9.body.RESULT).toEqual({ count: '5', list: [] });
      expect((await fetch(owner, { infoType: '2' })).body.RESULT.list).toHaveLength(5);
    });

    it.each([
      ['infoType', '4'],
      ['infoType', ''],
      ['startPage', '0'],
      ['startPage', '-1'],
      ['startPage', '01'],
      ['pageCount', '0'],
      ['pageCount', '500'],
      ['pageCount', '1.5'],
      ['cityCode', '12345'],
      ['catalogID', '12345'],
      ['channelName', '名'.repeat(17)],
      ['channelKeyWords', '词'.repeat(9)],
    ])('should answer ME01023 %s for %p', async (param, value) => {
      await expectRefused(w, () => fetch(owner, { infoType: '1', [param]: value }), 'ME01023', `${param} is error!`);
    });
  });

  describe('setUserkeyInfo', () => {
    it('should bind a key, move it to another channel and unbind it', async () => {
      const a = await w.apply(owner, { channelName: '甲频道' });
      const b = await w.apply(owner, { channelName: '乙频道' });
      await w.join(member, a.uniqueCode);
      await w.join(member, b.uniqueCode);
      expect((await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: a.channelNumber })).text).toBe(
        '{"ERRORCODE":"0","RESULT":"ok!"}',
      );
      expect((await w.info(member, a.channelNumber)).bindKey).toBe('4');
      expect(
        (await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: b.channelNumber })).body.ERRORCODE,
      ).toBe('0');
      expect((await w.info(member, a.channelNumber)).bindKey).toBe('');
      expect((await w.info(member, b.channelNumber)).bindKey).toBe('4');
      expect((await w.call('quitSecretChannel', member, { channelNumber: a.channelNumber })).body.ERRORCODE).toBe('0');
      expect((await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: '' })).body.ERRORCODE).toBe('0');
      expect(await w.query('SELECT * FROM secret_channel_key_binding')).toEqual([]);
      const audits = await w.query<{ action: string; before_state: unknown; after_state: unknown }>(
        "SELECT action, before_state, after_state FROM audit_log WHERE entity_type = 'secret-channel-key' ORDER BY id",
      );
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
      expect(
        audits.map((r) => [r.action, json(r.before_state).channelNumber, json(r.after_state).channelNumber]),
      ).toEqual([
        ['secret-channel.bind-key', null, a.channelNumber],
        ['secret-channel.bind-key', a.channelNumber, b.channelNumber],
        ['secret-channel.unbind-key', b.channelNumber, null],
      ]);
    });

    it('should answer "ok!" and write nothing when the key is already where it is asked to be', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await w.call('setUserkeyInfo', member, { actionType: '5', channelNumber });
      const before = await w.state();
      expect((await w.call('setUserkeyInfo', member, { actionType: '5', channelNumber })).body.ERRORCODE).toBe('0');
      expect((await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: '' })).body.ERRORCODE).toBe('0');
      expect(await w.state()).toBe(before);
    });

    it('should answer ME18312 to non-members and pending applicants, ME18109 to a closed channel', async () => {
      const { channelNumber } = await w.apply(owner);
      await expectRefused(
        w,
        () => w.call('setUserkeyInfo', outsider, { actionType: '4', channelNumber }),
        'ME18312',
        'did not join',
      );
      const verified = await w.apply(owner, { channelName: '审核频道', isVerify: '1' });
      await w.join(member, verified.uniqueCode);
      await expectRefused(
        w,
        () => w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: verified.channelNumber }),
        'ME18312',
      );
      await expectRefused(
        w,
        () => w.call('setUserkeyInfo', owner, { actionType: '4', channelNumber: '999999999' }),
        'ME18109',
      );
      await w.call('manageSecretChannelUsers', company, { channelNumber, infoType: '1', curStatus: '2' });
      await expectRefused(w, () => w.call('setUserkeyInfo', owner, { actionType: '4', channelNumber }), 'ME18109');
    });

    it('should answer ME01023 for a bad actionType or a missing or malformed channelNumber', async () => {
      const { channelNumber } = await w.apply(owner);
      for (const actionType of ['3', '6', '', '44']) {
        await expectRefused(
          w,
          () => w.call('setUserkeyInfo', owner, { actionType, channelNumber }),
          'ME01023',
          'actionType is error!',
        );
      }
      await expectRefused(
        w,
        () => w.call('setUserkeyInfo', owner, { actionType: '4' }),
        'ME01023',
        'channelNumber is error!',
      );
      await expectRefused(
        w,
        () => w.call('setUserkeyInfo', owner, { actionType: '4', channelNumber: '1234' }),
        'ME01023',
        'channelNumber is error!',
      );
    });
  });

  describe('transferSecretChannel', () => {
    const transfer = (who: TestAccount, receiverAccountID: string, channelNumber: string) =>
      w.call('transferSecretChannel', who, { receiverAccountID, channelNumber });

    it('should answer ME18306 to a caller who is not the owner', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await expectRefused(w, () => transfer(member, member.accountID, channelNumber), 'ME18306', 'you are not manager');
    });

    it('should answer ME18305 for a transfer to oneself', async () => {
      const { channelNumber } = await w.apply(owner);
      await expectRefused(w, () => transfer(owner, owner.accountID, channelNumber), 'ME18305');
    });

    it('should answer ME18053 for an unknown receiver and ME18312 for a non-member or applicant', async () => {
      const { channelNumber } = await w.apply(owner, { isVerify: '1' });
      await expectRefused(w, () => transfer(owner, 'zzzzzzzzzz', channelNumber), 'ME18053');
      await expectRefused(w, () => transfer(owner, outsider.accountID, channelNumber), 'ME18312');
      const [{ unique_code }] = await w.query<{ unique_code: string }>('SELECT unique_code FROM secret_channel');
      await w.join(member, unique_code);
      await expectRefused(w, () => transfer(owner, member.accountID, channelNumber), 'ME18312');
    });

    it('should answer ME18314 for a blacklisted receiver', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await w.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus: '3',
        userAccountID: member.accountID,
      });
      await expectRefused(w, () => transfer(owner, member.accountID, channelNumber), 'ME18314');
    });

    it('should answer ME18106 when the receiver owns the maximum and ME18104 when it owns the same name', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner, { channelName: '热门' });
      await w.join(member, uniqueCode);
      await w.apply(member, { channelName: '热门' });
      await expectRefused(
        w,
        () => transfer(owner, member.accountID, channelNumber),
        'ME18104',
        'current user channel already exist',
      );
      for (let i = 0; i < 9; i++) {
        await w.apply(member, { channelName: `自己的${i}` });
      }
      await expectRefused(w, () => transfer(owner, member.accountID, channelNumber), 'ME18106');
    });

    it('should answer ME18109 for a closed channel and ME01023 for a malformed receiver', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await expectRefused(w, () => transfer(owner, 'bad', channelNumber), 'ME01023', 'receiverAccountID is error!');
      await w.call('manageSecretChannelUsers', company, { channelNumber, infoType: '1', curStatus: '2' });
      await expectRefused(w, () => transfer(owner, member.accountID, channelNumber), 'ME18109');
    });

    it('should make a muted receiver an unmuted owner and audit the transfer', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await w.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus: '2',
        userAccountID: member.accountID,
      });
      expect((await transfer(owner, member.accountID, channelNumber)).body.ERRORCODE).toBe('0');
      expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'owner', status: 1, active: 1 });
      expect((await w.info(member, channelNumber)).ownerAccountID).toBe(member.accountID);
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.transfer'",
      );
      expect(audit).toMatchObject({ actor_account_id: owner.accountID, entity_id: channelNumber });
    });
  });

  describe('dissolveSecretChannel', () => {
    it('should answer ME18306 to a member and ME18109 to a second dissolve', async () => {
      const { channelNumber, uniqueCode } = await w.apply(owner);
      await w.join(member, uniqueCode);
      await expectRefused(w, () => w.call('dissolveSecretChannel', member, { channelNumber }), 'ME18306');
      expect((await w.call('dissolveSecretChannel', owner, { channelNumber })).body.ERRORCODE).toBe('0');
      await expectRefused(w, () => w.call('dissolveSecretChannel', owner, { channelNumber }), 'ME18109');
      const [audit] = await w.query<Record<string, unknown>>(
        "SELECT * FROM audit_log WHERE action = 'secret-channel.dissolve'",
      );
      expect(audit).toMatchObject({ actor_account_id: owner.accountID, entity_id: channelNumber });
    });

    it('should free the name and a place under the owner limit', async () => {
      const { channelNumber } = await w.apply(owner, { channelName: '旧名字' });
      await w.call('dissolveSecretChannel', owner, { channelNumber });
      expect((await w.call('applySecretChannel', owner, applyParams({ channelName: '旧名字' }))).body.ERRORCODE).toBe(
        '0',
      );
      expect((await w.call('fetchSecretChannel', owner, { infoType: '2' })).body.RESULT.count).toBe('1');
    });
  });
});
