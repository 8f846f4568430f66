import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, errors, Page } from 'playwright-core';
import { containsText, hasCount, hasText, isVisible } from './utils/browser-expect';
import { FakeHttpServer } from './utils/fake-http-server';
import { TestAccount } from './utils/fixtures';
import { MicroClient } from './utils/micro-channel-client';
import { MICRO_CATALOG, SecretWorld } from './utils/secret-channel-world';
import { TtsServer } from './utils/tts-server';

/** Debian's chromium, never a downloaded browser (DEPENDENCIES.md; scripts/dev-services.sh installs it). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Every run takes the screenshots; UPDATE_SCREENSHOTS=1 writes them over the ones docs/console.md shows, so an
// ordinary `npm test` leaves the working tree clean.
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(__dirname, '..', 'docs', 'console')
    : join(tmpdir(), `console-screenshots-${process.pid}`);
const PASSWORD = 'correct horse battery 9';

/** A logo as a partner would host it: an image on another host (here a loopback stand-in). */
const LOGO_SVG = (fill: string, text: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="18" fill="${fill}"/>` +
  `<text x="48" y="60" font-size="34" text-anchor="middle" fill="#fff" font-family="sans-serif">${text}</text></svg>`;

/** The part of HTMLAudioElement the test uses (the tests compile without the DOM library). */
interface AudioLike {
  duration: number;
  load(): void;
  addEventListener(type: string, listener: () => void): void;
}

jest.setTimeout(60_000);

describe('console (e2e, headless Chromium)', () => {
  let w: SecretWorld;
  let tts: TtsServer;
  let logos: FakeHttpServer;
  let micro: MicroClient;
  let browser: Browser;
  let owner: TestAccount;
  let reviewer: TestAccount;
  let operator: TestAccount;
  let member: TestAccount;
  let groupNumber: string;
  const ids: { application: string; edit: string; failingEdit: string } = {
    application: '',
    edit: '',
    failingEdit: '',
  };

  const url = (path: string): string => w.t.baseUrl + path;
  /**
   * A full-page screenshot. Headless Chromium has stalled a capture for good about one run in eight here
   * ("fonts loaded", then nothing until the timeout) on a page that had rendered and passed its checks, so the
   * page is brought to the front first and a stalled capture is taken once more.
   */
  const shot = async (page: Page, name: string): Promise<Buffer> => {
    const options = { path: join(SCREENSHOTS, `${name}.png`), fullPage: true, timeout: 15_000 };
    await page.bringToFront();
    try {
      return await page.screenshot(options);
    } catch (err) {
      if (!(err instanceof errors.TimeoutError)) {
        throw err;
      }
      await page.bringToFront();
      return page.screenshot(options);
    }
  };

  async function setPassword(account: TestAccount, password = PASSWORD): Promise<void> {
    const res = await w.client.admin('PUT', `/admin/accounts/${account.accountID}/console-password`, { password });
    expect(res.status).toBe(200);
  }

  async function signIn(context: BrowserContext, account: TestAccount, password = PASSWORD): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url('/console/login'));
    await page.getByLabel(/账号 ID|Account ID/).fill(account.accountID);
    await page.getByLabel(/^(密码|Password)$/).fill(password);
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
    return page;
  }

  async function microInfo(who: TestAccount, number: string): Promise<{ ERRORCODE: string; RESULT: any }> {
    return micro.info(who, number);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    tts = await TtsServer.start();
    logos = await FakeHttpServer.start((req) => ({
      status: 200,
      headers: { 'Content-Type': 'image/svg+xml' },
      body: req.path.includes('new') ? LOGO_SVG('#d64545', '新') : LOGO_SVG('#0b5cad', 'FM'),
    }));
    w = await SecretWorld.start({
      TTS_DRIVER: 'http',
      TTS_HTTP_URL: tts.url,
      TTS_APP_KEY: '1234567890',
      TTS_APP_SECRET: 'TTS-TEST-SECRET',
      TTS_TIMEOUT_MS: '3000',
      OUTBOUND_ALLOW_PRIVATE: 'true',
    });
    await w.reset();
    micro = new MicroClient(w.client, w.partner);
    // Fixed IDs keep the screenshots in docs/console/ readable from run to run.
    owner = await w.account([], 'owner00001');
    reviewer = await w.account(['reviewer'], 'reviewer01');
    operator = await w.account(['operator'], 'operator01');
    member = await w.account([], 'driver0001');
    await w.client.admin('POST', '/admin/accounts', { accountID: 'nobody0001' });

    const logo = (name: string) => `http://127.0.0.1:${logos.port}/logo/${name}.png`;
    const apply = (number: string, extra: Record<string, string> = {}) =>
      micro.applyOk(owner, number, { channelCatalogID: MICRO_CATALOG, channelCatalogUrl: logo('fm'), ...extra });
    // A live channel with an edit (name, city, logo), a live channel whose edit will meet a TTS failure,
    // and an application waiting for first review.
    expect((await micro.checkApply(reviewer, await apply('FMlive01'), '2')).ERRORCODE).toBe('0');
    ids.edit = await micro.modifyOk(owner, 'FMlive01', {
      channelName: '交通之声二台',
      channelCityCode: '440100',
      channelCatalogUrl: logo('new'),
    });
    expect(
      (await micro.checkApply(reviewer, await apply('FMfail01', { channelName: '城市夜话' }), '2')).ERRORCODE,
    ).toBe('0');
    ids.failingEdit = await micro.modifyOk(owner, 'FMfail01', { channelName: '城市夜话重播' });
    ids.application = await apply('FMnew001', {
      channelName: '高速路况',
      channelIntroduction: '<img src=x onerror="document.title=\'pwned\'">京港澳高速实时路况',
    });

    groupNumber = (await w.apply(owner, { channelName: '车友俱乐部' })).channelNumber;
    const { uniqueCode } = (await w.call('getSecretChannelInfo', owner, { channelNumber: groupNumber })).body
      .RESULT as { uniqueCode: string };
    await w.join(member, uniqueCode);
    await w.t.dataSource.query(
      'INSERT INTO invitation (batch_id, app_key, sender_account_id, receiver_account_id, temp_channel_id, multimedia_url, callback_url, delivery_state, delivery_attempts, weibo_bizid, delivery_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        'a'.repeat(32),
        w.partner.appKey,
        owner.accountID,
        member.accountID,
        '12345',
        'http://media.example.com/v.amr',
        'http://partner.example.com/cb',
        'sent',
        1,
        'biz-1',
        null,
        'b'.repeat(32),
        w.partner.appKey,
        owner.accountID,
        reviewer.accountID,
        '12345',
        'http://media.example.com/v.amr',
        'http://partner.example.com/cb',
        'failed',
        5,
        null,
        'weibo answered HTTP 502',
      ],
    );
    for (const account of [reviewer, operator]) {
      await setPassword(account);
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (process.env.UPDATE_SCREENSHOTS !== '1') {
      rmSync(SCREENSHOTS, { recursive: true, force: true });
    }
    await w?.t.close();
    await tts?.close();
    await logos?.close();
  });

  it('should set console passwords through the admin API only when they are long enough', async () => {
    const short = await w.client.admin('PUT', `/admin/accounts/${reviewer.accountID}/console-password`, {
      password: 'too short',
    });
    expect(short.status).toBe(400);
    expect(short.body.errors).toHaveProperty('password');
    const unknown = await w.client.admin('PUT', '/admin/accounts/zzzzzzzzzz/console-password', { password: PASSWORD });
    expect(unknown.status).toBe(404);
    const noToken = await w.client.admin(
      'PUT',
      `/admin/accounts/${reviewer.accountID}/console-password`,
      { password: PASSWORD },
      null,
    );
    expect(noToken.status).toBe(401);
    const [row] = await w.t.dataSource.query<Array<{ password_hash: string }>>(
      'SELECT password_hash FROM console_credential WHERE account_id = ?',
      [reviewer.accountID],
    );
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('should send a browser without a session to the sign-in page and refuse roleless accounts', async () => {
    const res = await fetch(url('/console/review'), { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Freview&expired=1');
    await setPassword({ accountID: 'nobody0001', accessToken: '' });
    const context = await browser.newContext();
    const page = await signIn(context, { accountID: 'nobody0001', accessToken: '' });
    await containsText(page.getByRole('alert'), '没有审核员或运营角色');
    await context.close();
  });

  describe('a reviewer', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await signIn(context, reviewer);
    });
    afterAll(() => context.close());

    it('should sign in with an HttpOnly SameSite=Strict session cookie and see both queues oldest first', async () => {
      expect(new URL(page.url()).pathname).toBe('/console/review');
      const [cookie] = (await context.cookies()).filter((c) => c.name === 'console_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      // Held in Redis under the token's hash (never the token), with the 8 h idle expiry.
      const key = `{console}:session:${createHash('sha256').update(cookie.value).digest('hex')}`;
      const ttl = await w.t.redis.client.ttl(key);
      expect(ttl).toBeGreaterThan(8 * 3600 - 60);
      expect(ttl).toBeLessThanOrEqual(8 * 3600);
      expect(await w.t.redis.client.keys(`*${cookie.value}*`)).toEqual([]);
      await hasText(page.getByRole('heading', { level: 1 }), '审核队列');
      const rows = page.locator('table.list tbody tr');
      await hasCount(rows, 2);
      await containsText(rows.nth(0), 'FMlive01');
      await containsText(rows.nth(1), 'FMfail01');
      await containsText(rows.nth(0), '名称、城市代码、城市、标志地址');
      await shot(page, 'review-queue');
      // The filters of recheckMicroChannel infoType 1.
      await page.getByLabel('频道号包含').fill('fail');
      await page.getByRole('button', { name: '筛选' }).click();
      await hasCount(rows, 1);
      await containsText(rows.nth(0), 'FMfail01');
      await page.getByRole('link', { name: /新频道申请/ }).click();
      await hasCount(page.locator('table.list tbody tr'), 0);
      await page.getByRole('link', { name: '清除' }).click();
      await hasCount(page.locator('table.list tbody tr'), 1);
      await containsText(page.locator('table.list tbody tr').first(), 'FMnew001');
    });

    it('should approve an application, which the partner API then shows as a live channel', async () => {
      await page.getByRole('link', { name: /审核 FMnew001/ }).click();
      await hasText(page.getByRole('heading', { level: 1 }), `申请 #${ids.application} · FMnew001`);
      await isVisible(page.getByRole('img', { name: '高速路况 的标志' }));
      // Partner text is text: the markup in the introduction is shown, never run.
      await containsText(page.locator('table.compare'), '<img src=x onerror=');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.title()).not.toBe('pwned');
      await page.getByLabel(/^备注/).fill('欢迎入驻');
      await page.getByRole('button', { name: '通过' }).click();
      await hasText(page.getByRole('status'), '已通过。');
      const info = await microInfo(member, 'FMnew001');
      expect(info.ERRORCODE).toBe('0');
      expect(info.RESULT).toMatchObject({ channelName: '高速路况', channelStatus: '1' });
      const audit = await w.client.admin(
        'GET',
        `/admin/audit?entityType=micro-channel-application&entityId=${ids.application}`,
      );
      expect(audit.body.items[0]).toMatchObject({
        action: 'micro-channel.application.approve',
        actorAccountID: reviewer.accountID,
        appKey: null,
        remark: '欢迎入驻',
      });
    });

    it('should show an edit beside the live channel with the changed fields marked and the spoken name playable', async () => {
      await page.goto(url(`/console/review/edits/${ids.edit}`));
      const changed = page.locator('table.compare tr.changed th');
      await hasText(changed, ['名称 已修改', '城市代码 已修改', '城市 已修改', '标志地址 已修改']);
      await containsText(page.locator('tr.changed').first(), '交通之声二台');
      await isVisible(page.getByRole('img', { name: '交通之声 的标志' }));
      await isVisible(page.getByRole('img', { name: '交通之声二台 的标志' }));
      const audio = page.locator('audio');
      const src = await audio.getAttribute('src');
      expect(src).toMatch(/^\/media\/voice\/[0-9a-f]{32}\.wav$/);
      // The browser itself decodes the clip: AMR would not load, the WAV has a duration.
      const duration = await audio.evaluate(
        (el: AudioLike) =>
          new Promise<number>((resolve, reject) => {
            el.addEventListener('loadedmetadata', () => resolve(el.duration));
            el.addEventListener('error', () => reject(new Error('audio error')));
            el.load();
          }),
      );
      expect(duration).toBeGreaterThan(0.3);
      const wav = await page.request.get(url(src!));
      expect(wav.headers()['content-type']).toBe('audio/wav');
      expect((await wav.body()).subarray(0, 4).toString('ascii')).toBe('RIFF');
      // A light page: the edit is the heaviest one, and the console fetches nothing but its own files.
      expect(Buffer.byteLength(await page.content())).toBeLessThan(16_000);
      await shot(page, 'edit-review');
    });

    it('should show the refusal in words when speech synthesis fails on approve, and change nothing', async () => {
      const before = await microInfo(owner, 'FMfail01');
      tts.mode = 'error';
      try {
        await page.goto(url(`/console/review/edits/${ids.failingEdit}`));
        await page.getByRole('button', { name: '通过' }).click();
        const alert = page.getByRole('alert');
        await containsText(alert, 'ME18307');
        await containsText(alert, 'txt2voice failed!');
        await containsText(alert, '语音合成失败，什么都没有改变');
        await shot(page, 'refusal-speech-failure');
      } finally {
        tts.mode = 'ok';
      }
      const after = await microInfo(owner, 'FMfail01');
      expect(after).toEqual(before);
      expect(after.RESULT.pendingEdit).toMatchObject({ applyIdx: ids.failingEdit, channelName: '城市夜话重播' });
    });

    it('should refuse a change without the CSRF token of the session', async () => {
      const res = await page.request.post(url(`/console/review/edits/${ids.edit}/decision`), {
        form: { checkStatus: '2', csrf: 'forged' },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('CSRF');
      expect((await microInfo(owner, 'FMlive01')).RESULT.pendingEdit).toMatchObject({ applyIdx: ids.edit });
    });

    it('should reject an edit with a remark, leaving the live channel as it was', async () => {
      await page.goto(url(`/console/review/edits/${ids.edit}`));
      await page.getByLabel(/^备注/).fill('城市与简介不符');
      await page.getByRole('button', { name: '驳回' }).click();
      await hasText(page.getByRole('status'), '已驳回。');
      const info = await microInfo(owner, 'FMlive01');
      expect(info.RESULT).toMatchObject({ channelName: '交通之声', cityCode: '110000', pendingEdit: null });
      const edit = await w.client.admin('GET', `/admin/micro-channel-edits/${ids.edit}`);
      expect(edit.body.edit).toMatchObject({
        status: 'rejected',
        checkRemark: '城市与简介不符',
        reviewerAccountID: reviewer.accountID,
      });
    });

    it('should close and reopen a micro channel', async () => {
      page.on('dialog', (dialog) => void dialog.accept());
      await page.goto(url('/console/review'));
      await page.getByLabel('按频道号打开微频道').fill('fmlive01');
      await page.getByRole('button', { name: '打开' }).click();
      await page.getByRole('button', { name: '关闭频道' }).click();
      await hasText(page.getByRole('status'), '频道已关闭。');
      expect((await microInfo(member, 'FMlive01')).ERRORCODE).toBe('ME18109');
      await shot(page, 'micro-channel');
      await page.getByRole('button', { name: '重新开启频道' }).click();
      await hasText(page.getByRole('status'), '频道已重新开启。');
      expect((await microInfo(member, 'FMlive01')).ERRORCODE).toBe('0');
    });

    it('should answer bad input and unknown rows with a page naming the problem, never JSON or a crash', async () => {
      const bad = await page.goto(url('/console/review?cityCode=abc&pageCount=500'));
      expect(bad!.status()).toBe(400);
      expect(bad!.headers()['content-type']).toContain('text/html');
      await containsText(page.getByRole('alert'), 'cityCode');
      const missing = await page.goto(url('/console/review/edits/999999'));
      expect(missing!.status()).toBe(404);
      await containsText(page.getByRole('alert'), '没有找到');
      const malformed = await page.request.post(url(`/console/review/edits/${ids.failingEdit}/decision`), {
        form: { checkStatus: '7', csrf: await page.locator('input[name="csrf"]').first().inputValue() },
        maxRedirects: 0,
      });
      expect(malformed.status()).toBe(400);
      expect((await microInfo(owner, 'FMfail01')).RESULT.pendingEdit).toMatchObject({ applyIdx: ids.failingEdit });
    });

    it('should switch to English and keep a reviewer out of the operator pages and the queue board', async () => {
      await page.goto(url('/console/review'));
      await page.getByRole('link', { name: 'Switch to English' }).click();
      await hasText(page.getByRole('heading', { level: 1 }), 'Review queue');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.goto(url(`/console/review/edits/${ids.failingEdit}`));
      await isVisible(page.getByRole('columnheader', { name: 'Proposed' }));
      await page.getByRole('link', { name: '切换到中文' }).click();
      await containsText(page.getByRole('heading', { level: 1 }), '修改');
      expect((await page.goto(url('/console/channels')))!.status()).toBe(403);
      expect((await page.goto(url('/admin/queues')))!.status()).toBe(403);
    });
  });

  it('should lock console sign-in after 5 failures in a row, even for the right password', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url('/console/login'));
    // Keyboard only: the form is usable without a mouse.
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('账号 ID').fill(reviewer.accountID);
      await page.getByLabel('密码').focus();
      await page.keyboard.type(`wrong password ${i}`);
      await page.keyboard.press('Enter');
      await containsText(page.getByRole('alert'), i < 5 ? `再错 ${5 - i} 次` : '已锁定');
    }
    await page.getByLabel('密码').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await containsText(page.getByRole('alert'), '已锁定，请 15 分钟后再试');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await shot(page, 'sign-in-locked');
    const audit = await w.client.admin('GET', `/admin/audit?entityType=account&entityId=${reviewer.accountID}`);
    expect(audit.body.items[0]).toMatchObject({ action: 'console.sign-in.lock', actorAccountID: reviewer.accountID });
    // A new password set by an administrator lifts the lock.
    await setPassword(reviewer);
    const again = await signIn(context, reviewer);
    expect(new URL(again.url()).pathname).toBe('/console/review');
    await context.close();
  });

  it('should count parallel wrong guesses exactly, locking once and refusing the right password after', async () => {
    const target = await w.account(['operator']);
    await setPassword(target);
    /** One sign-in over plain HTTP: the form's CSRF token and its cookie, then the POST. */
    const attempt = async (password: string): Promise<{ status: number; body: string }> => {
      const form = await fetch(url('/console/login'));
      const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1];
      const cookie = form.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const res = await fetch(url('/console/login'), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams({ accountID: target.accountID, password, csrf }).toString(),
      });
      return { status: res.status, body: await res.text() };
    };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(`not the password ${i}`)));
    expect(answers.filter((a) => a.status === 401).length).toBe(4);
    expect(answers.filter((a) => a.status === 429).length).toBe(4);
    expect((await attempt(PASSWORD)).status).toBe(429);
    const audit = await w.client.admin('GET', `/admin/audit?entityType=account&entityId=${target.accountID}`);
    expect(audit.body.items.filter((i: { action: string }) => i.action === 'console.sign-in.lock')).toHaveLength(1);
    // A sign-in form posted without its cookie (another site's form) is refused before any password check.
    const forged = await fetch(url('/console/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accountID: operator.accountID, password: PASSWORD, csrf: 'x' }).toString(),
    });
    expect(forged.status).toBe(403);
  });

  describe('an operator', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await signIn(context, operator);
      page.on('dialog', (dialog) => void dialog.accept());
    });
    afterAll(() => context.close());

    it('should find a group channel by name and by number, with its members', async () => {
      expect(new URL(page.url()).pathname).toBe('/console/channels');
      await page.getByLabel('频道号或名称').fill('俱乐部');
      await page.getByRole('button', { name: '查找' }).click();
      await hasCount(page.locator('table.list tbody tr'), 1);
      await page.getByLabel('频道号或名称').fill(String(Number(groupNumber)));
      await page.getByRole('button', { name: '查找' }).click();
      await page.getByRole('link', { name: groupNumber }).click();
      await hasText(page.getByRole('heading', { level: 1 }), `群聊频道 ${groupNumber} · 车友俱乐部`);
      const members = page.locator('table[aria-labelledby="members-h"] tbody tr');
      await hasCount(members, 2);
      await containsText(members.nth(0), owner.accountID);
      await containsText(members.nth(0), '群主');
      await containsText(members.nth(1), member.accountID);
    });

    it('should close and reopen the channel, as the partner API then shows, audited under the operator', async () => {
      await page.getByRole('button', { name: '关闭频道' }).click();
      await hasText(page.getByRole('status'), '频道已关闭。');
      expect((await w.call('getSecretChannelInfo', member, { channelNumber: groupNumber })).body.ERRORCODE).toBe(
        'ME18109',
      );
      const firstAudit = page.locator('table.audit tbody tr').first();
      await containsText(firstAudit, 'secret-channel.close');
      await containsText(firstAudit, operator.accountID);
      await shot(page, 'group-channel');
      await page.getByRole('button', { name: '重新开启频道' }).click();
      await hasText(page.getByRole('status'), '频道已重新开启。');
      expect((await w.call('getSecretChannelInfo', member, { channelNumber: groupNumber })).body.ERRORCODE).toBe('0');
    });

    it('should list invitations with their delivery state and open the queue board with the session', async () => {
      await page.getByRole('link', { name: '邀请' }).click();
      const rows = page.locator('table.list tbody tr');
      await hasCount(rows, 2);
      await containsText(rows.nth(0), '失败');
      await containsText(rows.nth(0), 'weibo answered HTTP 502');
      await containsText(rows.nth(1), '已发送');
      await shot(page, 'invitations');
      const board = await page.goto(url('/admin/queues'));
      expect(board!.status()).toBe(200);
      // The board's own script reads its API with the same session cookie.
      await containsText(page.locator('#root'), 'speech-synthesis');
      const api = await page.request.get(url('/admin/queues/api/queues'));
      expect(api.status()).toBe(200);
      const signedOut = await fetch(url('/admin/queues'));
      expect(signedOut.status).toBe(401);
    });

    it('should end the session on sign-out, so its cookie opens nothing afterwards', async () => {
      await page.goto(url('/console/channels'));
      const [cookie] = (await context.cookies()).filter((c) => c.name === 'console_session');
      await page.getByRole('button', { name: '退出' }).click();
      await isVisible(page.getByRole('button', { name: '登录' }));
      const replayed = await fetch(url('/console/channels'), {
        redirect: 'manual',
        headers: { Cookie: `console_session=${cookie.value}` },
      });
      expect(replayed.status).toBe(303);
      expect(replayed.headers.get('location')).toMatch(/^\/console\/login/);
    });
  });
});
