import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';

/**
 * The request deadline at the transaction boundary (docs/reliability.md 4), one case at a time: a probe
 * route waits, commits a nickname change, and waits again.
 */
describe('request deadline and commits (e2e)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let app: TestPartnerApp;
  let user: TestAccount;

  beforeAll(async () => {
    t = await createTestApp({}, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
    await resetState(t);
    const fixtures = new Fixtures(client);
    app = await fixtures.app();
    user = await fixtures.account(app);
  });
  afterAll(() => t.close());

  async function write(nickname: string, waitBefore: number, waitAfter: number) {
    const started = Date.now();
    const res = await client.post(
      'probeWrite',
      {
        appKey: app.appKey,
        accountID: user.accountID,
        accessToken: user.accessToken,
        nickname,
        waitBefore: String(waitBefore),
        waitAfter: String(waitAfter),
      },
      { secret: app.secret },
    );
    return { code: res.body.ERRORCODE, ms: Date.now() - started };
  }

  async function nickname(): Promise<string> {
    // Anything still running for an abandoned request would have written by now.
    await new Promise((r) => setTimeout(r, 600));
    const [row] = await t.dataSource.query<Array<{ nickname: string }>>(
      'SELECT nickname FROM account WHERE account_id = ?',
      [user.accountID],
    );
    return row.nickname;
  }

  it('should answer success for a change that committed, even when the handler then runs past its deadline', async () => {
    const answer = await write('committed', 3000, 1000);
    expect(answer.code).toBe('0');
    expect(answer.ms).toBeGreaterThanOrEqual(3900);
    expect(answer.ms).toBeLessThan(5000);
    expect(await nickname()).toBe('committed');
  });

  it('should roll back a change whose commit comes after the commit deadline, and answer an error', async () => {
    const answer = await write('too-late', 3600, 0);
    expect(answer.code).toBe('ME01022');
    expect(answer.ms).toBeLessThan(5000);
    expect(await nickname()).toBe('committed');
  });

  it('should never commit in the background for a request already answered with an error', async () => {
    const answer = await write('behind-back', 4100, 0);
    expect(answer.code).toBe('ME01022');
    expect(answer.ms).toBeLessThan(4300);
    expect(await nickname()).toBe('committed');
  });

  it('should commit and answer a quick change as before', async () => {
    expect((await write('quick', 0, 0)).code).toBe('0');
    expect(await nickname()).toBe('quick');
  });
});
