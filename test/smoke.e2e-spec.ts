import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { Fixtures } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { ProbeModule } from './utils/probe.module';

describe('smoke', () => {
  let t: TestApp;
  let client: PartnerClient;
  beforeAll(async () => {
    t = await createTestApp({}, undefined, [ProbeModule]);
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(() => t.close());
  beforeEach(() => resetState(t));

  it('should answer a signed probe', async () => {
    const f = new Fixtures(client);
    const app = await f.app();
    const acct = await f.account(app);
    const res = await client.post('probe', { appKey: app.appKey, accountID: acct.accountID, accessToken: acct.accessToken, text: '你好' }, { secret: app.secret });
    console.log(res.status, res.text);
    const bad = await client.post('nosuch', { appKey: app.appKey }, { secret: app.secret });
    console.log(bad.status, bad.text);
    const h = await client.raw('/health/ready', { method: 'GET' });
    console.log(h.status, h.text);
    expect(res.body.ERRORCODE).toBe('0');
  });
});
