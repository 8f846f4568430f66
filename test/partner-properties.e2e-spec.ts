import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MESSAGES, errorMessage } from '../src/common/errors/error-codes';
import { computeSign } from '../src/common/signature/sign';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { FakeHttpServer } from './utils/fake-http-server';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { applyParams, GROUP_CATALOG, MICRO_CATALOG, SHARED_CATALOG } from './utils/secret-channel-world';

/**
 * Issue 14 part 5, hostile input at scale: for every partner route, CASES_PER_ROUTE generated requests with
 * valid signatures and (mostly) valid tokens, whose parameters are valid, missing, empty, huge, binary,
 * wrong-charset, repeated or unknown, sent urlencoded or multipart (with file parts) or under a wrong
 * Content-Type. Every answer must be HTTP 200 with a valid envelope and never ME01022; afterwards the
 * database invariants must hold. FC_SEED reproduces a run (the seed is printed).
 */
const CASES_PER_ROUTE = Number(process.env.FC_CASES_PER_ROUTE ?? 500);
const BATCH = 25;
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const AMR = readFileSync(join(__dirname, 'fixtures', 'nihao.amr'));
const BOUNDARY = '----fcBoundary7MA4YWxkTrZu0gW';
const KNOWN_CODES = new Set(['0', ...Object.keys(ERROR_MESSAGES)]);

interface GeneratedRequest {
  params: Array<[string, string]>;
  encoding: 'urlencoded' | 'multipart' | 'multipart-file' | 'text-plain' | 'json' | 'none' | 'gbk-charset';
  /** Index of a parameter to send twice (signed once), or -1. */
  repeat: number;
  /** A raw binary value (bytes that are not UTF-8) appended as this parameter, or null. */
  binary: { name: string; bytes: Uint8Array } | null;
}

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.integer().map(String),
  fc.constantFrom(
    "' OR '1'='1",
    '1; DROP TABLE account; --',
    '%00',
    '\u0000',
    '\r\n',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '１１００００',
    '-1',
    '1e9',
    '0x1F',
    ' 110000 ',
    '9'.repeat(40),
    '测'.repeat(129),
    'null',
    'undefined',
    '[object Object]',
    '__proto__',
  ),
  fc.constantFrom(2_000, 70_000).map((n) => 'A'.repeat(n)),
);

/** A valid value from the world most of the time, else hostile, sometimes absent (undefined). */
function param(valid: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 3, arbitrary: hostile },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

interface World {
  app: TestPartnerApp;
  accounts: TestAccount[];
  channels: Array<{ channelNumber: string; uniqueCode: string }>;
  mediaUrls: string[];
}

type RouteSpec = (w: World) => {
  acting: string | null;
  params: Record<string, fc.Arbitrary<string>>;
};

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const ROUTES: Record<string, RouteSpec> = {
  applySecretChannel: () => ({
    acting: 'accountID',
    params: {
      channelName: fc.oneof(
        fc.constantFrom(applyParams().channelName, '夜间路况'),
        fc.string({ minLength: 2, maxLength: 16 }),
      ),
      channelIntroduction: fc.constantFrom(applyParams().channelIntroduction, '介绍'),
      channelCityCode: fc.constantFrom('110000', '0', '310000', '999999', '110101'),
      channelCatalogID: fc.constantFrom(GROUP_CATALOG, SHARED_CATALOG, MICRO_CATALOG, '123456'),
      channelCatalogUrl: fc.constantFrom('http://img.example/logo.png', 'https://a.b/c.JPG', 'ftp://x/y.png'),
      openType: fc.constantFrom('0', '1', '2'),
      isVerify: fc.constantFrom('0', '1'),
      channelKeyWords: fc.constantFrom('路况,交通', 'a,b,c,d,e,f', ''),
    },
  }),
  manageSecretChannelUsers: (w) => ({
    acting: 'accountID',
    params: {
      channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), '000000000'),
      infoType: fc.constantFrom('1', '2', '3'),
      curStatus: fc.constantFrom('1', '2', '3', '4'),
      userAccountID: fc.constantFrom(...w.accounts.map((a) => a.accountID)),
      muteSeconds: fc.constantFrom('60', '3600', '59', '2592001'),
    },
  }),
  setSecretChannelAdmin: (w) => ({
    acting: 'accountID',
    params: {
      channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), '000000000'),
      userAccountID: fc.constantFrom(...w.accounts.map((a) => a.accountID)),
      isAdmin: fc.constantFrom('0', '1', '2'),
    },
  }),
  fetchSecretChannelMembers: (w) => ({
    acting: 'accountID',
    params: {
      channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), '999999999'),
      memberStatus: fc.constantFrom('1', '2', '3', '4', '5'),
      startPage: fc.constantFrom('1', '2', '0'),
      pageCount: fc.constantFrom('1', '20', '100', '101'),
    },
  }),
  quitSecretChannel: (w) => ({
    acting: 'accountID',
    params: { channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), '999999999') },
  }),
  joinSecretChannel: (w) => ({
    acting: 'accountID',
    params: {
      uniqueCode: fc.constantFrom(...w.channels.map((c) => c.uniqueCode), `${w.channels[0].channelNumber}|00`),
      remark: fc.string({ maxLength: 130 }),
    },
  }),
  getSecretChannelInfo: (w) => ({
    acting: 'accountID',
    params: { channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), '1234567890') },
  }),
  fetchSecretChannel: () => ({
    acting: 'accountID',
    params: {
      infoType: fc.constantFrom('1', '2', '3', '4'),
      startPage: fc.constantFrom('1', '2', '0', '100000'),
      pageCount: fc.constantFrom('1', '20', '499', '500'),
      channelCityCode: fc.constantFrom('110000', '0'),
      channelCatalogID: fc.constantFrom(GROUP_CATALOG),
      channelName: fc.constantFrom('路况', '%', '_'),
    },
  }),
  setUserkeyInfo: (w) => ({
    acting: 'accountID',
    params: {
      actionType: fc.constantFrom('4', '5', '6'),
      channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber), ''),
    },
  }),
  transferSecretChannel: (w) => ({
    acting: 'accountID',
    params: {
      receiverAccountID: fc.constantFrom(...w.accounts.map((a) => a.accountID)),
      channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber)),
    },
  }),
  dissolveSecretChannel: (w) => ({
    acting: 'accountID',
    params: { channelNumber: fc.constantFrom(...w.channels.map((c) => c.channelNumber)) },
  }),
  recheckMicroChannel: (w) => ({
    acting: 'checkAccountID',
    params: {
      infoType: fc.constantFrom('1', '2'),
      accountID: fc.constantFrom(...w.accounts.map((a) => a.accountID)),
      channelNumber: fc.constantFrom('FMprop01', 'FMprop02', 'fm'),
      checkStatus: fc.constantFrom('1', '2', '3', '4', '5'),
      applyIdx: digits(1, 3),
      checkRemark: fc.string({ maxLength: 70 }),
      startPage: fc.constantFrom('1', '2'),
      pageCount: fc.constantFrom('20', '499'),
    },
  }),
  applyMicroChannel: () => ({
    acting: 'accountID',
    params: {
      channelNumber: fc.constantFrom('FMprop01', 'FMprop02', 'FMprop03', '1abc'),
      channelName: fc.constantFrom('交通之声', '音乐台'),
      channelIntroduction: fc.constantFrom('城市交通广播', '介绍'),
      chiefAnnouncerIntr: fc.constantFrom('主播介绍文字', 'abc'),
      channelCityCode: fc.constantFrom('110000', '0'),
      channelCatalogID: fc.constantFrom(MICRO_CATALOG, SHARED_CATALOG, GROUP_CATALOG),
      channelKeyWords: fc.constantFrom('新闻,路况', ''),
    },
  }),
  checkApplyMicroChannel: () => ({
    acting: 'checkAccountID',
    params: { applyIdx: digits(1, 3), checkStatus: fc.constantFrom('1', '2', '3'), checkRemark: fc.string() },
  }),
  modifyMicroChannel: () => ({
    acting: 'accountID',
    params: {
      channelNumber: fc.constantFrom('FMprop01', 'FMprop02'),
      channelName: fc.constantFrom('新名字', '音乐台'),
      channelIntroduction: fc.constantFrom('新的介绍'),
      channelCityCode: fc.constantFrom('310000'),
    },
  }),
  getMicroChannelInfo: () => ({
    acting: 'accountID',
    params: { channelNumber: fc.constantFrom('FMprop01', 'FMprop02', 'X') },
  }),
  inviteUserJoin: (w) => ({
    acting: null,
    params: {
      accountID: fc.constantFrom(...w.accounts.map((a) => a.accountID)),
      tempChannelID: fc.constantFrom('12345', '54321', '0012345'),
      // Only loopback or refused addresses: a generated request never reaches the outside world.
      multimediaURL: fc.constantFrom(...w.mediaUrls, 'http://10.0.0.1/a.amr', 'ftp://127.0.0.1/a.amr'),
      callbackURL: fc.constantFrom('http://127.0.0.1:1/cb?x=1', 'https://partner.example/cb'),
    },
  }),
  acceptInvitation: () => ({
    acting: 'accountID',
    params: { invitationID: digits(1, 4), tempChannelID: fc.constantFrom('12345', '54321') },
  }),
};

/**
 * Three requests in four are valid but for at most one parameter (missing or hostile), so they reach the
 * routes' deeper checks and effects; the fourth is chaos (every parameter may be anything or absent).
 */
function namedParams(
  spec: ReturnType<RouteSpec>,
  accountIds: string[],
): fc.Arbitrary<Record<string, string | undefined>> {
  const valid: Record<string, fc.Arbitrary<string>> = {};
  if (spec.acting) {
    valid[spec.acting] = fc.constantFrom(...accountIds);
  }
  Object.assign(valid, spec.params);
  const names = Object.keys(valid);
  const chaos = fc.record(Object.fromEntries(names.map((n) => [n, param(valid[n])])));
  const oneOff = fc
    .tuple(fc.record(valid), fc.option(fc.tuple(fc.nat(), fc.option(hostile, { freq: 3 })), { freq: 4 }))
    .map(([values, mutation]) => {
      const out: Record<string, string | undefined> = { ...values };
      if (mutation) {
        out[names[mutation[0] % names.length]] = mutation[1] ?? undefined;
      }
      return out;
    });
  return fc.oneof({ weight: 3, arbitrary: oneOff }, { weight: 1, arbitrary: chaos });
}

function requestArbitrary(w: World, spec: ReturnType<RouteSpec>): fc.Arbitrary<GeneratedRequest> {
  const accountIds = w.accounts.map((a) => a.accountID);
  return fc
    .record({
      named: namedParams(spec, accountIds),
      tokenOk: fc.integer({ min: 0, max: 9 }).map((n) => n < 9),
      badToken: hostile,
      unknown: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostile, { maxKeys: 2 }),
      encoding: fc.oneof(
        { weight: 4, arbitrary: fc.constant('urlencoded' as const) },
        { weight: 2, arbitrary: fc.constant('multipart' as const) },
        { weight: 2, arbitrary: fc.constant('multipart-file' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('text-plain' as const, 'json' as const, 'none' as const, 'gbk-charset' as const),
        },
      ),
      repeat: fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 8 }) }),
      binary: fc.oneof(
        { weight: 9, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.record({
            name: fc.constantFrom(...Object.keys(spec.params)),
            bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }),
          }),
        },
      ),
    })
    .map(({ named, tokenOk, badToken, unknown, encoding, repeat, binary }) => {
      const params: Array<[string, string]> = [['appKey', w.app.appKey]];
      for (const [name, value] of Object.entries(named)) {
        if (value !== undefined) {
          params.push([name, value]);
        }
      }
      if (spec.acting) {
        const actingId = named[spec.acting];
        const account = w.accounts.find((a) => a.accountID === actingId);
        params.push(['accessToken', tokenOk && account ? account.accessToken : badToken]);
      }
      for (const [name, value] of Object.entries(unknown)) {
        if (!params.some(([n]) => n === name) && name !== 'sign') {
          params.push([name, value]);
        }
      }
      // A binary part replaces its parameter: sent as bytes that are not UTF-8, signed as the server reads them.
      const withoutBinary = binary ? params.filter(([n]) => n !== binary.name) : params;
      return {
        params: withoutBinary,
        encoding,
        repeat: repeat < withoutBinary.length ? repeat : -1,
        binary: binary ?? null,
      };
    });
}

function percent(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** The body and Content-Type of a generated request; the sign covers the text parameters once each. */
function encode(req: GeneratedRequest, secret: string): { body: Buffer; contentType?: string } {
  const signed = Object.fromEntries(req.params);
  const sign = computeSign(signed, secret);
  const fields: Array<[string, string]> = [...req.params, ['sign', sign]];
  if (req.repeat >= 0) {
    fields.push(req.params[req.repeat]);
  }
  const urlencoded = (): string => {
    const parts = fields.map(([k, v]) => `${percent(Buffer.from(k))}=${percent(Buffer.from(v))}`);
    if (req.binary) {
      parts.push(`${req.binary.name}=${percent(req.binary.bytes)}`);
    }
    return parts.join('&');
  };
  switch (req.encoding) {
    case 'urlencoded':
      return { body: Buffer.from(urlencoded()), contentType: 'application/x-www-form-urlencoded' };
    case 'gbk-charset':
      return { body: Buffer.from(urlencoded()), contentType: 'application/x-www-form-urlencoded; charset=gbk' };
    case 'text-plain':
      return { body: Buffer.from(urlencoded()), contentType: 'text/plain' };
    case 'json':
      return { body: Buffer.from(JSON.stringify(Object.fromEntries(fields))), contentType: 'application/json' };
    case 'none':
      return { body: Buffer.from(urlencoded()) };
    default: {
      const chunks: Buffer[] = fields.map(([k, v]) =>
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, '%22')}"\r\n\r\n${v}\r\n`,
        ),
      );
      if (req.binary) {
        chunks.push(
          Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${req.binary.name}"\r\n\r\n`),
          Buffer.from(req.binary.bytes),
          Buffer.from('\r\n'),
        );
      }
      if (req.encoding === 'multipart-file') {
        chunks.push(
          Buffer.from(
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="voice"; filename="a.amr"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          AMR,
          Buffer.from('\r\n'),
        );
      }
      chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
      return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
    }
  }
}

describe('partner routes under generated hostile input (e2e, fast-check)', () => {
  let t: TestApp;
  let media: FakeHttpServer;
  let w: World;
  let client: PartnerClient;
  const counts: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    media = await FakeHttpServer.start((r) =>
      r.path === '/ok.amr' ? { body: AMR } : r.path === '/text.amr' ? { body: 'not audio' } : { status: 404 },
    );
    t = await createTestApp({
      APP_RATE_LIMIT_PER_SECOND: '1000000',
      MAX_IN_FLIGHT: '1000',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      INVITE_INTERVAL_SECONDS: '600',
    });
    await resetState(t);
    client = new PartnerClient(t.baseUrl);
    const f = new Fixtures(client);
    const app = await f.app();
    await f.catalog(GROUP_CATALOG, 2, '交通');
    await f.catalog(MICRO_CATALOG, 1, '微频道');
    await f.catalog(SHARED_CATALOG, 0, '通用');
    const accounts = [
      await f.account(app),
      await f.account(app),
      await f.account(app),
      await f.account(app, { roles: ['reviewer'] }),
      await f.account(app, { roles: ['operator'] }),
    ];
    const channels: World['channels'] = [];
    for (const [i, owner] of accounts.slice(0, 3).entries()) {
      const res = await client.post(
        'applySecretChannel',
        {
          appKey: app.appKey,
          accountID: owner.accountID,
          accessToken: owner.accessToken,
          ...applyParams({ channelName: `属性频道${i}` }),
        },
        { secret: app.secret },
      );
      channels.push(res.body.RESULT as World['channels'][number]);
    }
    expect((await client.admin('PUT', '/admin/temp-channels/12345', { live: true })).status).toBe(200);
    w = { app, accounts, channels, mediaUrls: [`${media.baseUrl}/ok.amr`, `${media.baseUrl}/text.amr`] };
  }, 60_000);

  afterAll(async () => {
    const total = Object.values(counts).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    process.stdout.write(
      `fast-check seed ${SEED}: ${total} generated requests over ${Object.keys(counts).length} routes\n`,
    );
    for (const [route, byCode] of Object.entries(counts)) {
      process.stdout.write(`  ${route}: ${JSON.stringify(byCode)}\n`);
    }
    await t?.close();
    await media?.close();
  });

  it.each(Object.keys(ROUTES))(
    'should answer every generated %s request with a valid envelope, never ME01022',
    async (route) => {
      const requests = fc.sample(requestArbitrary(w, ROUTES[route](w)), { numRuns: CASES_PER_ROUTE, seed: SEED });
      const byCode: Record<string, number> = (counts[route] = {});
      for (let i = 0; i < requests.length; i += BATCH) {
        await Promise.all(
          requests.slice(i, i + BATCH).map(async (req) => {
            const { body, contentType } = encode(req, w.app.secret);
            const res = await fetch(`${t.baseUrl}/clientcustom/v2/${route}`, {
              method: 'POST',
              body,
              headers: contentType ? { 'Content-Type': contentType } : {},
            });
            const text = await res.text();
            const where = `${route} ${req.encoding} ${JSON.stringify(req.params).slice(0, 300)} -> ${res.status} ${text.slice(0, 200)}`;
            expect({ where, status: res.status }).toEqual({ where, status: 200 });
            expect(res.headers.get('content-type')).toMatch(/^application\/json/);
            const envelope = JSON.parse(text) as { ERRORCODE: string; RESULT: unknown };
            expect(Object.keys(envelope).sort()).toEqual(['ERRORCODE', 'RESULT']);
            expect({ where, known: KNOWN_CODES.has(envelope.ERRORCODE) }).toEqual({ where, known: true });
            expect({ where, code: envelope.ERRORCODE === 'ME01022' }).toEqual({ where, code: false });
            const expected =
              envelope.ERRORCODE === '0'
                ? envelope.RESULT
                : envelope.ERRORCODE === 'ME01023'
                  ? String(envelope.RESULT).replace(/^.+ is error!$/, '<param> is error!')
                  : errorMessage(envelope.ERRORCODE as keyof typeof ERROR_MESSAGES);
            const shown = envelope.ERRORCODE === 'ME01023' ? '<param> is error!' : envelope.RESULT;
            expect({ where, result: shown }).toEqual({ where, result: expected });
            byCode[envelope.ERRORCODE] = (byCode[envelope.ERRORCODE] ?? 0) + 1;
          }),
        );
      }
      expect(requests).toHaveLength(CASES_PER_ROUTE);
    },
    120_000,
  );

  it('should leave the database consistent after every generated request', async () => {
    const q = <T>(sql: string): Promise<T[]> => t.dataSource.query<T[]>(sql);
    // Member counts equal the active memberships that take a seat (every status but 4, pending).
    expect(
      await q(`SELECT c.channel_number, c.member_count, COUNT(m.id) AS active FROM secret_channel c
               LEFT JOIN secret_channel_member m ON m.channel_id = c.id AND m.active = 1 AND m.status <> 4
               GROUP BY c.id HAVING c.member_count <> active`),
    ).toEqual([]);
    // No device key bound to a channel its account is not an active member of.
    expect(
      await q(`SELECT k.account_id, k.channel_id FROM secret_channel_key_binding k
               LEFT JOIN secret_channel_member m ON m.channel_id = k.channel_id AND m.account_id = k.account_id AND m.active = 1
               WHERE k.channel_id IS NOT NULL AND m.id IS NULL`),
    ).toEqual([]);
    // No half-written channel: every one has its number, code, one active owner and its apply audit row.
    expect(await q('SELECT id FROM secret_channel WHERE channel_number IS NULL OR unique_code IS NULL')).toEqual([]);
    expect(
      await q(`SELECT c.channel_number FROM secret_channel c
               LEFT JOIN secret_channel_member m ON m.channel_id = c.id AND m.role = 'owner' AND m.active = 1
               WHERE c.status <> 3 GROUP BY c.id HAVING COUNT(m.id) <> 1`),
    ).toEqual([]);
    expect(
      await q(`SELECT c.channel_number FROM secret_channel c
               LEFT JOIN audit_log a ON a.entity_id = c.channel_number AND a.action = 'secret-channel.apply'
               WHERE a.id IS NULL`),
    ).toEqual([]);
    // No owner past the channel limit.
    expect(
      await q(`SELECT owner_account_id FROM secret_channel WHERE status IN (1, 2)
               GROUP BY owner_account_id HAVING COUNT(*) > ${t.config.channels.maxPerUser}`),
    ).toEqual([]);
  });
});
