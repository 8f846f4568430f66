import { computeSign } from '../src/common/signature/sign';
import { TestAccount } from './utils/fixtures';
import { urlencode } from './utils/partner-client';
import { applyParams, expectRefused, SecretWorld } from './utils/secret-channel-world';

type Who = 'owner' | 'member' | 'outsider';
interface Ctx {
  channelNumber: string;
  uniqueCode: string;
  member: TestAccount;
}

/** Each route, who calls it, and a parameter set that would succeed. */
const ROUTES: Record<string, { who: Who; params: (c: Ctx) => Record<string, string> }> = {
  applySecretChannel: {
    who: 'owner',
    params: () =>
      applyParams({
        channelName: '新频道',
        channelCatalogUrl: 'http://a.example/l.png',
        isVerify: '0',
        channelKeyWords: 'a,b',
      }),
  },
  manageSecretChannelUsers: {
    who: 'owner',
    params: (c) => ({
      channelNumber: c.channelNumber,
      infoType: '2',
      curStatus: '2',
      userAccountID: c.member.accountID,
    }),
  },
  quitSecretChannel: { who: 'member', params: (c) => ({ channelNumber: c.channelNumber }) },
  joinSecretChannel: { who: 'outsider', params: (c) => ({ uniqueCode: c.uniqueCode, remark: '你好' }) },
  getSecretChannelInfo: { who: 'owner', params: (c) => ({ channelNumber: c.channelNumber }) },
  fetchSecretChannel: { who: 'owner', params: () => ({ infoType: '1', startPage: '1', pageCount: '20' }) },
  setUserkeyInfo: { who: 'member', params: (c) => ({ actionType: '4', channelNumber: c.channelNumber }) },
  transferSecretChannel: {
    who: 'owner',
    params: (c) => ({ receiverAccountID: c.member.accountID, channelNumber: c.channelNumber }),
  },
  dissolveSecretChannel: { who: 'owner', params: (c) => ({ channelNumber: c.channelNumber }) },
};

const MISSING = Symbol('missing');
type Bad = string | typeof MISSING;

const ACCOUNT_BAD: Bad[] = [MISSING, '', 'abcdefghijk', 'abcdefghi', 'abcdefgh!j', "abcd'fghij", 'abcdéfghij'];
// 5-10 digits are well-formed since imported channels keep their legacy numbers (API.md 15).
const NUMBER_BAD: Bad[] = [
  MISSING,
  '',
  '1234',
  '12345678901',
  '12345678a',
  ' 12345678',
  "1234' OR 1",
  '１２３４５６７８９',
];
/** [route, parameter, bad values]; accountID-like parameters of every route included. */
const BAD: Array<[string, string, Bad[]]> = [
  ['applySecretChannel', 'accountID', ACCOUNT_BAD],
  ['applySecretChannel', 'channelName', [MISSING, '', '名', '名'.repeat(17), '😀'.repeat(17), 'ab\u0007', 'a\nb']],
  ['applySecretChannel', 'channelIntroduction', [MISSING, '', '介', '介'.repeat(129), 'ab\u0000cd']],
  [
    'applySecretChannel',
    'channelCityCode',
    [MISSING, '', '00', '12345', '1234567', '11000a', '111111', '999999', '-11000'],
  ],
  ['applySecretChannel', 'channelCatalogID', [MISSING, '', '12345', '123456789012', '20000a', '200001 ']],
  [
    'applySecretChannel',
    'channelCatalogUrl',
    [
      'ftp://a.example/l.png',
      'http://a.example/l.txt',
      'http://a.example/l c.png',
      'l.png',
      `http://a.example/${'x'.repeat(110)}.png`,
    ],
  ],
  ['applySecretChannel', 'openType', [MISSING, '', '2', 'a', '01']],
  ['applySecretChannel', 'isVerify', ['2', 'x', '00']],
  ['applySecretChannel', 'channelKeyWords', ['a,b,c,d,e,f', '九个字的关键字啊啊', 'a,,b', ',a', 'a\tb']],
  ['manageSecretChannelUsers', 'accountID', ACCOUNT_BAD],
  ['manageSecretChannelUsers', 'channelNumber', NUMBER_BAD],
  ['manageSecretChannelUsers', 'infoType', [MISSING, '', '0', '3', '1 ']],
  ['manageSecretChannelUsers', 'curStatus', [MISSING, '', '0', '4', '9']],
  ['manageSecretChannelUsers', 'userAccountID', ACCOUNT_BAD],
  ['quitSecretChannel', 'accountID', ACCOUNT_BAD],
  ['quitSecretChannel', 'channelNumber', NUMBER_BAD],
  ['joinSecretChannel', 'accountID', ACCOUNT_BAD],
  [
    'joinSecretChannel',
    'uniqueCode',
    [MISSING, '', '000000001', '000000001|', `000000001|${'g'.repeat(32)}`, `000000001|${'A'.repeat(32)}`],
  ],
  ['joinSecretChannel', 'remark', ['长'.repeat(129), 'a\u001bb']],
  ['getSecretChannelInfo', 'accountID', ACCOUNT_BAD],
  ['getSecretChannelInfo', 'channelNumber', NUMBER_BAD],
  ['fetchSecretChannel', 'accountID', ACCOUNT_BAD],
  ['fetchSecretChannel', 'infoType', [MISSING, '', '0', '4']],
  ['fetchSecretChannel', 'startPage', ['0', '-1', 'a', '1e3']],
  ['fetchSecretChannel', 'pageCount', ['0', '500', 'ten']],
  ['setUserkeyInfo', 'accountID', ACCOUNT_BAD],
  ['setUserkeyInfo', 'actionType', [MISSING, '', '3', '6', '4 ']],
  ['setUserkeyInfo', 'channelNumber', NUMBER_BAD.filter((v) => v !== '')],
  ['transferSecretChannel', 'accountID', ACCOUNT_BAD],
  ['transferSecretChannel', 'receiverAccountID', ACCOUNT_BAD],
  ['transferSecretChannel', 'channelNumber', NUMBER_BAD],
  ['dissolveSecretChannel', 'accountID', ACCOUNT_BAD],
  ['dissolveSecretChannel', 'channelNumber', NUMBER_BAD],
];

const CASES = BAD.flatMap(([route, param, values]) =>
  values.map((value) => [route, param, value === MISSING ? '(missing)' : JSON.stringify(value), value] as const),
);

describe('secret channel bad input (e2e)', () => {
  let w: SecretWorld;
  let people: Record<Who, TestAccount>;
  let ctx: Ctx;

  beforeAll(async () => {
    w = await SecretWorld.start();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    const [owner, member, outsider] = await Promise.all([w.account(), w.account(), w.account()]);
    people = { owner, member, outsider };
    const c = await w.apply(owner);
    await w.join(member, c.uniqueCode);
    ctx = { ...c, member };
  });

  it.each(CASES)('should answer ME01023 on %s when %s is %s, writing nothing', async (route, param, _label, value) => {
    const spec = ROUTES[route];
    const who = people[spec.who];
    const params: Record<string, string> = {
      appKey: w.partner.appKey,
      accountID: who.accountID,
      accessToken: who.accessToken,
      ...spec.params(ctx),
    };
    if (value === MISSING) {
      delete params[param];
    } else {
      params[param] = value;
    }
    await expectRefused(
      w,
      () => w.client.post(route, params, { secret: w.partner.secret }),
      'ME01023',
      `${param} is error!`,
    );
  });

  it.each(Object.keys(ROUTES))(
    'should succeed on %s with the valid parameter set the table starts from',
    async (route) => {
      const spec = ROUTES[route];
      const res = await w.call(route, people[spec.who], spec.params(ctx));
      expect(res.body.ERRORCODE).toBe('0');
    },
  );

  it.each(Object.keys(ROUTES))(
    'should answer ME01023 to a duplicated parameter on %s, writing nothing',
    async (route) => {
      const spec = ROUTES[route];
      const who = people[spec.who];
      const params = {
        appKey: w.partner.appKey,
        accountID: who.accountID,
        accessToken: who.accessToken,
        ...spec.params(ctx),
      };
      const body = `${urlencode({ ...params, sign: computeSign(params, w.partner.secret) })}&accountID=${who.accountID}`;
      await expectRefused(
        w,
        () =>
          w.client.raw(`/clientcustom/v2/${route}`, {
            method: 'POST',
            body,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
        'ME01023',
        'accountID is error!',
      );
    },
  );

  it('should store quotes, SQL metacharacters, backslashes and emoji in text exactly as sent', async () => {
    const name = `x'"; DROP--😀`;
    const intro = `' OR '1'='1; -- \\ %_ 😀🚗 "引号" \`tick\``;
    const keywords = `'a',😀,%_,\\`;
    const res = await w.call(
      'applySecretChannel',
      people.owner,
      applyParams({ channelName: name, channelIntroduction: intro, channelKeyWords: keywords }),
    );
    expect(res.body.ERRORCODE).toBe('0');
    const info = await w.info(people.owner, (res.body.RESULT as { channelNumber: string }).channelNumber);
    expect(info).toMatchObject({ channelName: name, channelIntroduction: intro, keyWords: keywords });
    const [{ n }] = await w.query<{ n: string }>('SELECT COUNT(*) AS n FROM secret_channel');
    expect(Number(n)).toBe(2);
  });

  it('should count characters, not bytes: 16 CJK or 16 emoji make a valid name, 128 CJK a valid introduction', async () => {
    for (const [i, name] of ['测'.repeat(16), '😀'.repeat(16), '👍🏽'.repeat(8)].entries()) {
      const res = await w.call(
        'applySecretChannel',
        people.owner,
        applyParams({ channelName: name, channelIntroduction: `${'介'.repeat(127)}${i}` }),
      );
      expect(res.body.ERRORCODE).toBe('0');
      expect(
        (await w.info(people.owner, (res.body.RESULT as { channelNumber: string }).channelNumber)).channelName,
      ).toBe(name);
    }
  });

  it('should treat optional parameters sent empty as absent', async () => {
    const res = await w.call(
      'applySecretChannel',
      people.owner,
      applyParams({ channelName: '空参数', channelCatalogUrl: '', isVerify: '', channelKeyWords: '' }),
    );
    expect(res.body.ERRORCODE).toBe('0');
    const info = await w.info(people.owner, (res.body.RESULT as { channelNumber: string }).channelNumber);
    expect(info).toMatchObject({ logoURL: '', isVerify: '0', keyWords: '' });
  });

  it('should ignore unknown extra parameters (they still count in the signature)', async () => {
    const res = await w.call('quitSecretChannel', people.member, {
      channelNumber: ctx.channelNumber,
      channelName: 'ignored',
      extra: '1',
    });
    expect(res.text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
  });
});
