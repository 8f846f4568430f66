import { createTestApp, TestApp } from './utils/create-test-app';
import { ProbeModule } from './utils/probe.module';
import { PartnerClient } from './utils/partner-client';
import { Fixtures } from './utils/fixtures';
import { SecretWorld } from './utils/secret-channel-world';

/**
 * What the hot-path work of docs/performance.md must not give up, with two instances on one MySQL and
 * one Redis: a cached count is dropped on every instance by a write on any, and the per-app rate limit
 * reserved in blocks still admits no more than the limit across instances.
 */
describe('Hot paths across two instances', () => {
  describe('the public channel count of fetchSecretChannel', () => {
    let a: SecretWorld;
    let b: SecretWorld;
    beforeAll(async () => {
      a = await SecretWorld.start();
      b = new SecretWorld(await createTestApp());
    });
    afterAll(async () => {
      await b.t.close();
      await a.t.close();
    });

    it('should follow applies, a close and a dissolve on the other instance at once', async () => {
      await a.reset();
      b.partner = a.partner;
      const owner = await a.account();
      const operator = await a.account(['operator']);
      const viewer = await a.account();
      const count = async (): Promise<string> => {
        const res = await b.call('fetchSecretChannel', viewer, { infoType: '1' });
        return (res.body.RESULT as { count: string }).count;
      };
      const first = await a.apply(owner, { channelName: '频道一' });
      expect(await count()).toBe('1');
      expect(await count()).toBe('1');
      const second = await a.apply(owner, { channelName: '频道二' });
      expect(await count()).toBe('2');
      const close = await a.call('manageSecretChannelUsers', operator, {
        channelNumber: first.channelNumber,
        infoType: '1',
        curStatus: '2',
        userAccountID: owner.accountID,
      });
      expect(close.body).toEqual({ ERRORCODE: '0', RESULT: 'ok' });
      expect(await count()).toBe('1');
      const dissolve = await a.call('dissolveSecretChannel', owner, { channelNumber: second.channelNumber });
      expect(dissolve.body.ERRORCODE).toBe('0');
      expect(await count()).toBe('0');
    });

    it('should keep the counts of different filters with the same value apart', async () => {
      await a.reset();
      b.partner = a.partner;
      const owner = await a.account();
      await a.apply(owner, { channelCityCode: '110000' });
      const count = async (filter: Record<string, string>): Promise<string> => {
        const res = await b.call('fetchSecretChannel', owner, { infoType: '1', ...filter });
        return (res.body.RESULT as { count: string }).count;
      };
      // A city code and a catalog id can be the same six digits.
      expect(await count({ cityCode: '110000' })).toBe('1');
      expect(await count({ catalogID: '110000' })).toBe('0');
    });

    it('should show a member status changed on the other instance in the next read', async () => {
      await a.reset();
      b.partner = a.partner;
      const owner = await a.account();
      const member = await a.account();
      const { channelNumber, uniqueCode } = await a.apply(owner);
      await a.join(member, uniqueCode);
      expect(await b.info(member, channelNumber)).toMatchObject({ memberStatus: '1', memberCount: '2' });
      const mute = await a.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus: '2',
        userAccountID: member.accountID,
      });
      expect(mute.body.ERRORCODE).toBe('0');
      expect(await b.info(member, channelNumber)).toMatchObject({ memberStatus: '2' });
      expect((await a.call('quitSecretChannel', member, { channelNumber })).body.ERRORCODE).toBe('0');
      expect(await b.info(owner, channelNumber)).toMatchObject({ memberCount: '1' });
    });
  });

  describe('the per-app rate limit reserved in blocks', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await createTestApp({ APP_RATE_LIMIT_PER_SECOND: '100' }, undefined, [ProbeModule]);
      b = await createTestApp({ APP_RATE_LIMIT_PER_SECOND: '100' }, undefined, [ProbeModule]);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('should admit at most the limit in one second over both instances, and most of it', async () => {
      const fixtures = new Fixtures(new PartnerClient(a.baseUrl));
      const app = await fixtures.app();
      const clients = [new PartnerClient(a.baseUrl), new PartnerClient(b.baseUrl)];
      const send = (n: number): Promise<string> =>
        clients[n % 2]
          .post('probeNoToken', { appKey: app.appKey }, { secret: app.secret })
          .then((r) => r.body.ERRORCODE);
      // Start at the beginning of a second so 160 requests fall in one window.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      const started = Date.now();
      const codes = await Promise.all(Array.from({ length: 160 }, (_, n) => send(n)));
      const sameSecond = Math.floor(started / 1000) === Math.floor(Date.now() / 1000);
      const admitted = codes.filter((c) => c === '0').length;
      expect(codes.every((c) => c === '0' || c === 'ME01027')).toBe(true);
      expect(admitted).toBeLessThanOrEqual(sameSecond ? 100 : 200);
      // Each instance may strand at most one block (100 / 20 = 5) of the second's allowance.
      expect(admitted).toBeGreaterThanOrEqual(sameSecond ? 90 : 0);
    });
  });
});
