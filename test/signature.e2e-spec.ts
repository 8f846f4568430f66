import { PartnerAppService } from '../src/access/partner-app.service';
import { computeSign } from '../src/common/signature/sign';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient, urlencode } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';

describe('partner signature, token and body parsing (API.md 3, 4)', () => {
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
  beforeEach(async () => {
    await resetState(t);
    app = await fixtures.app();
    user = await fixtures.account(app);
  });

  const base = (): Record<string, string> => ({
    appKey: app.appKey,
    accountID: user.accountID,
    accessToken: user.accessToken,
    text: '频道测试',
  });

  describe('the documented worked example', () => {
    it('should accept the sign of API.md 3.1 for appKey 1111111111 and secret S', async () => {
      // Secrets are stored encrypted, so the example app goes in through the service (the admin API wants 40 hex).
      await t.app
        .get(PartnerAppService)
        .create({ appKey: '1111111111', secret: 'S', name: 'example', requireTimestamp: false });
      const params = { appKey: '1111111111', accountID: 'aaaaaaaaaa', channelNumber: '000000001', accessToken: 'T' };
      const res = await client.post('probe', { ...params, sign: 'B9FED1695722512CE9CD173C39938136562BD01E' });
      // Past the signature: the next check is the token, which 'T' is too short to be.
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'accessToken is error!' });
      const wrong = await client.post('probe', { ...params, sign: 'B9FED1695722512CE9CD173C39938136562BD01F' });
      expect(wrong.body).toEqual({ ERRORCODE: 'ME01019', RESULT: 'sign is not match' });
    });
  });

  describe('signing the way partners do', () => {
    it('should answer a correctly signed request with the envelope', async () => {
      const res = await client.post('probe', base(), { secret: app.secret });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        ERRORCODE: '0',
        RESULT: { text: '频道测试', appKey: app.appKey, accountID: user.accountID },
      });
    });

    it('should not depend on the order of parameters in the body', async () => {
      const params = { ...base(), sign: computeSign(base(), app.secret) };
      const reversed = Object.fromEntries(Object.entries(params).reverse());
      const res = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: urlencode(reversed),
      });
      expect(res.body.ERRORCODE).toBe('0');
    });

    it('should count parameters with empty values and unknown extra parameters', async () => {
      const params = { ...base(), checkRemark: '', zExtra: 'x y' };
      expect((await client.post('probe', params, { secret: app.secret })).body.ERRORCODE).toBe('0');
      const signedWithout = { ...params, sign: computeSign(base(), app.secret) };
      expect((await client.post('probe', signedWithout)).body.ERRORCODE).toBe('ME01019');
    });

    it('should sign multipart fields exactly like urlencoded ones, ignoring file parts', async () => {
      const res = await client.post('probe', base(), { secret: app.secret, multipart: true });
      expect(res.body.ERRORCODE).toBe('0');
      const boundary = 'XyZ';
      const params = { ...base(), sign: computeSign(base(), app.secret) };
      const parts = Object.entries(params).map(
        ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      );
      parts.push(
        `--${boundary}\r\nContent-Disposition: form-data; name="voice"; filename="a.amr"\r\nContent-Type: audio/amr\r\n\r\n#!AMR\n\x3c\r\n`,
      );
      const withFile = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.from(parts.join('') + `--${boundary}--\r\n`),
      });
      expect(withFile.body.ERRORCODE).toBe('0');
    });

    it('should decode + as a space and percent escapes before signing', async () => {
      const params = { ...base(), text: 'a+b c&d=e' };
      const sign = computeSign(params, app.secret);
      const body = `appKey=${app.appKey}&accountID=${user.accountID}&accessToken=${user.accessToken}&text=a%2Bb+c%26d%3De&sign=${sign}`;
      const res = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.body).toEqual({ ERRORCODE: '0', RESULT: expect.objectContaining({ text: 'a+b c&d=e' }) });
    });

    it('should accept a lowercase hex sign', async () => {
      const res = await client.post('probe', { ...base(), sign: computeSign(base(), app.secret).toLowerCase() });
      expect(res.body.ERRORCODE).toBe('0');
    });
  });

  describe('signature failures, in the order of API.md 3.2', () => {
    it.each([
      ['missing', undefined],
      ['letters', '11111a1111'],
      ['too long', '12345678901'],
      ['empty', ''],
    ])('should answer ME01023 appKey for an appKey that is %s', async (_, appKey) => {
      const params = base();
      if (appKey === undefined) {
        delete (params as Partial<typeof params>).appKey;
      } else {
        params.appKey = appKey;
      }
      const res = await client.post('probe', params, { secret: app.secret });
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'appKey is error!' });
    });

    it('should answer ME01002 for an unknown appKey, even with a bad sign', async () => {
      const res = await client.post('probe', { ...base(), appKey: '9999999999', sign: 'nonsense' });
      expect(res.body).toEqual({ ERRORCODE: 'ME01002', RESULT: 'appKey error' });
    });

    it.each([
      ['missing', undefined],
      ['39 characters', 'A'.repeat(39)],
      ['not hex', 'G'.repeat(40)],
    ])('should answer ME01023 sign for a sign that is %s', async (_, sign) => {
      const params: Record<string, string> = base();
      if (sign !== undefined) {
        params.sign = sign;
      }
      const res = await client.post('probe', params);
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'sign is error!' });
    });

    it('should answer ME01019 when one parameter changed after signing', async () => {
      const params = { ...base(), sign: computeSign(base(), app.secret), text: '频道测试!' };
      expect((await client.post('probe', params)).body).toEqual({ ERRORCODE: 'ME01019', RESULT: 'sign is not match' });
    });

    it('should answer ME01019 for a sign made with another app secret', async () => {
      const other = await fixtures.app();
      expect((await client.post('probe', base(), { secret: other.secret })).body.ERRORCODE).toBe('ME01019');
    });

    it('should refuse a repeated parameter with ME01023 naming it', async () => {
      const params = base();
      const body = `${urlencode({ ...params, sign: computeSign(params, app.secret) })}&text=again`;
      const res = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'text is error!' });
    });

    it('should answer ME01024 for an empty body, urlencoded or multipart', async () => {
      const empty = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(empty.body).toEqual({ ERRORCODE: 'ME01024', RESULT: 'http body is null!' });
      const emptyMultipart = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
        body: '',
      });
      expect(emptyMultipart.body.ERRORCODE).toBe('ME01024');
    });

    it('should answer ME01023 for a malformed percent escape and for a JSON body', async () => {
      const bad = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `appKey=${app.appKey}&text=%E4%Z`,
      });
      expect(bad.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'text is error!' });
      const json = await client.raw('/clientcustom/v2/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(base()),
      });
      expect(json.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'Content-Type is error!' });
    });
  });

  describe('access token (API.md 4)', () => {
    it('should answer ME01023 accessToken when it is missing or malformed', async () => {
      const params: Record<string, string> = base();
      delete params.accessToken;
      expect((await client.post('probe', params, { secret: app.secret })).body).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'accessToken is error!',
      });
      params.accessToken = 'short';
      expect((await client.post('probe', params, { secret: app.secret })).body.RESULT).toBe('accessToken is error!');
    });

    it('should answer ME01023 accountID when the acting account is malformed', async () => {
      const res = await client.post('probe', { ...base(), accountID: 'abc' }, { secret: app.secret });
      expect(res.body).toEqual({ ERRORCODE: 'ME01023', RESULT: 'accountID is error!' });
    });

    it("should answer ME01003 for another account's token and for a token of another app", async () => {
      const other = await fixtures.account(app);
      const res = await client.post('probe', { ...base(), accessToken: other.accessToken }, { secret: app.secret });
      expect(res.body).toEqual({ ERRORCODE: 'ME01003', RESULT: 'access token not matched' });
      const otherApp = await fixtures.app();
      const tokenOfOtherApp = await client.admin('POST', '/admin/tokens', {
        appKey: otherApp.appKey,
        accountID: user.accountID,
      });
      const res2 = await client.post(
        'probe',
        { ...base(), accessToken: tokenOfOtherApp.body.accessToken },
        { secret: app.secret },
      );
      expect(res2.body.ERRORCODE).toBe('ME01003');
    });

    it('should answer ME01003 for a well-formed token nobody issued', async () => {
      const res = await client.post('probe', { ...base(), accessToken: 'A'.repeat(32) }, { secret: app.secret });
      expect(res.body.ERRORCODE).toBe('ME01003');
    });

    it('should answer ME01004 once the token has expired', async () => {
      const shortLived = await fixtures.account(app, { ttlSeconds: 1 });
      await new Promise((r) => setTimeout(r, 1100));
      const res = await client.post(
        'probe',
        { ...base(), accountID: shortLived.accountID, accessToken: shortLived.accessToken },
        { secret: app.secret },
      );
      expect(res.body).toEqual({ ERRORCODE: 'ME01004', RESULT: 'access token expired' });
    });

    it('should store only a hash of the token', async () => {
      const rows = await t.dataSource.query<Array<{ token_hash: string }>>('SELECT token_hash FROM access_token');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.token_hash)).not.toContain(user.accessToken);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('should not ask for a token on a route declared without one', async () => {
      const res = await client.post(
        'probeNoToken',
        { appKey: app.appKey, accountID: user.accountID },
        { secret: app.secret },
      );
      expect(res.body).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
    });
  });

  describe('replay protection (API.md 3.3)', () => {
    let strict: TestPartnerApp;
    let strictUser: TestAccount;
    beforeEach(async () => {
      strict = await fixtures.app(true);
      strictUser = await fixtures.account(strict);
    });
    const now = (): string => String(Math.floor(Date.now() / 1000));
    const strictBase = (): Record<string, string> => ({
      appKey: strict.appKey,
      accountID: strictUser.accountID,
      accessToken: strictUser.accessToken,
      text: 'hello',
    });

    it('should require timestamp and nonce from an app created with requireTimestamp', async () => {
      expect((await client.post('probe', strictBase(), { secret: strict.secret })).body).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'timestamp is error!',
      });
      expect(
        (await client.post('probe', { ...strictBase(), timestamp: now() }, { secret: strict.secret })).body.RESULT,
      ).toBe('nonce is error!');
      expect(
        (
          await client.post(
            'probe',
            { ...strictBase(), timestamp: now(), nonce: 'bad nonce!' },
            { secret: strict.secret },
          )
        ).body.RESULT,
      ).toBe('nonce is error!');
      expect(
        (await client.post('probe', { ...strictBase(), timestamp: now(), nonce: 'n-1' }, { secret: strict.secret }))
          .body.ERRORCODE,
      ).toBe('0');
    });

    it('should answer ME01025 for a timestamp outside the window', async () => {
      const old = String(Math.floor(Date.now() / 1000) - 301);
      expect(
        (await client.post('probe', { ...strictBase(), timestamp: old, nonce: 'n-2' }, { secret: strict.secret })).body,
      ).toEqual({ ERRORCODE: 'ME01025', RESULT: 'timestamp expired!' });
      const future = String(Math.floor(Date.now() / 1000) + 301);
      expect(
        (await client.post('probe', { ...strictBase(), timestamp: future, nonce: 'n-3' }, { secret: strict.secret }))
          .body.ERRORCODE,
      ).toBe('ME01025');
    });

    it('should answer ME01026 for a nonce used again inside the window, also by a concurrent request', async () => {
      const params = { ...strictBase(), timestamp: now(), nonce: 'same-nonce' };
      const answers = await Promise.all(
        [0, 1, 2, 3].map(() => client.post('probe', params, { secret: strict.secret })),
      );
      const codes = answers.map((a) => a.body.ERRORCODE).sort();
      expect(codes).toEqual(['0', 'ME01026', 'ME01026', 'ME01026']);
      expect(answers.find((a) => a.body.ERRORCODE === 'ME01026')!.body.RESULT).toBe('nonce is replayed!');
    });

    it('should apply the same checks to an app without the flag that sends them', async () => {
      const params = { ...base(), timestamp: now(), nonce: 'loose-1' };
      expect((await client.post('probe', params, { secret: app.secret })).body.ERRORCODE).toBe('0');
      expect((await client.post('probe', params, { secret: app.secret })).body.ERRORCODE).toBe('ME01026');
    });
  });
});

describe('per-app request rate (API.md 9)', () => {
  let t: TestApp;
  let client: PartnerClient;
  beforeAll(async () => {
    t = await createTestApp({ APP_RATE_LIMIT_PER_SECOND: '5' }, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(() => t.close());

  it('should answer ME01027 past the limit within one second, for that app only', async () => {
    await resetState(t);
    const fixtures = new Fixtures(client);
    const busy = await fixtures.app();
    const quiet = await fixtures.app();
    const send = (a: TestPartnerApp): Promise<string> =>
      client.post('probeNoToken', { appKey: a.appKey }, { secret: a.secret }).then((r) => r.body.ERRORCODE);
    // Align to the start of a second so all 12 requests fall in one rate window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const codes = await Promise.all(Array.from({ length: 12 }, () => send(busy)));
    expect(codes.filter((c) => c === '0')).toHaveLength(5);
    expect(codes.filter((c) => c === 'ME01027')).toHaveLength(7);
    expect(await send(quiet)).toBe('0');
  });
});
