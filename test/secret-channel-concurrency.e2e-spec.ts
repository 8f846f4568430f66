import { TestAccount } from './utils/fixtures';
import { applyParams, SecretWorld } from './utils/secret-channel-world';

describe('secret channel under concurrency (e2e)', () => {
  const CAPACITY = 5;
  let w: SecretWorld;
  let owner: TestAccount;

  beforeAll(async () => {
    w = await SecretWorld.start({
      CHANNEL_CAPACITY: String(CAPACITY),
      MAX_CHANNELS_PER_USER: '10',
    });
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    owner = await w.account();
  });

  it('should create exactly 10 channels out of 20 parallel applies by one owner', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.call('applySecretChannel', owner, applyParams({ channelName: `并发频道${i}` })),
      ),
    );
    const codes = answers.map((a) => a.body.ERRORCODE);
    expect(codes.filter((c) => c === '0')).toHaveLength(10);
    expect(codes.filter((c) => c === 'ME18106')).toHaveLength(10);
    const [{ n }] = await w.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM secret_channel WHERE owner_account_id = ?',
      [owner.accountID],
    );
    expect(Number(n)).toBe(10);
    const numbers = answers
      .filter((a) => a.body.ERRORCODE === '0')
      .map((a) => (a.body.RESULT as { channelNumber: string }).channelNumber);
    expect(new Set(numbers).size).toBe(10);
    const [{ audits }] = await w.query<{ audits: string }>(
      "SELECT COUNT(*) AS audits FROM audit_log WHERE action = 'secret-channel.apply'",
    );
    expect(Number(audits)).toBe(10);
  });

  it('should create one channel out of parallel applies of the same name', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => w.call('applySecretChannel', owner, applyParams({ channelName: '同名频道' }))),
    );
    const codes = answers.map((a) => a.body.ERRORCODE).sort();
    expect(codes).toEqual(['0', ...Array(7).fill('ME18104')]);
    const [{ n }] = await w.query<{ n: string }>('SELECT COUNT(*) AS n FROM secret_channel');
    expect(Number(n)).toBe(1);
  });

  it('should give distinct numbers to parallel applies of different owners', async () => {
    const owners = await Promise.all(Array.from({ length: 10 }, () => w.account()));
    const answers = await Promise.all(owners.map((o) => w.call('applySecretChannel', o, applyParams())));
    expect(answers.map((a) => a.body.ERRORCODE)).toEqual(Array(10).fill('0'));
    const numbers = answers.map((a) => (a.body.RESULT as { channelNumber: string }).channelNumber);
    expect(new Set(numbers).size).toBe(10);
    const rows = await w.query<{ id: string; channel_number: string }>('SELECT id, channel_number FROM secret_channel');
    for (const row of rows) {
      expect(row.channel_number).toBe(String(row.id).padStart(9, '0'));
    }
  });

  it('should decrement the member count once for 20 parallel quits of one member', async () => {
    const member = await w.account();
    const { channelNumber, uniqueCode } = await w.apply(owner);
    await w.join(member, uniqueCode);
    expect((await w.channelRow(channelNumber)).member_count).toBe(2);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => w.call('quitSecretChannel', member, { channelNumber })),
    );
    const codes = answers.map((a) => a.body.ERRORCODE).sort();
    expect(codes).toEqual(['0', ...Array(19).fill('ME18312')]);
    expect((await w.channelRow(channelNumber)).member_count).toBe(1);
    const [{ quits }] = await w.query<{ quits: string }>(
      "SELECT COUNT(*) AS quits FROM audit_log WHERE action = 'secret-channel.quit'",
    );
    expect(Number(quits)).toBe(1);
  });

  it('should never let parallel joins pass the capacity', async () => {
    const { channelNumber, uniqueCode } = await w.apply(owner);
    const joiners = await Promise.all(Array.from({ length: 12 }, () => w.account()));
    const answers = await Promise.all(joiners.map((j) => w.call('joinSecretChannel', j, { uniqueCode })));
    const codes = answers.map((a) => a.body.ERRORCODE);
    expect(codes.filter((c) => c === '0')).toHaveLength(CAPACITY - 1);
    expect(codes.filter((c) => c === 'ME18108')).toHaveLength(12 - (CAPACITY - 1));
    expect((await w.channelRow(channelNumber)).member_count).toBe(CAPACITY);
    const [{ n }] = await w.query<{ n: string }>('SELECT COUNT(*) AS n FROM secret_channel_member WHERE active = 1');
    expect(Number(n)).toBe(CAPACITY);
  });

  it('should keep the count right when joins and quits of many members interleave', async () => {
    const { channelNumber, uniqueCode } = await w.apply(owner);
    const people = await Promise.all(Array.from({ length: 4 }, () => w.account()));
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        people.flatMap((p) => [
          w.call('joinSecretChannel', p, { uniqueCode }),
          w.call('joinSecretChannel', p, { uniqueCode }),
        ]),
      );
      await Promise.all(
        people
          .slice(0, 2)
          .flatMap((p) => [
            w.call('quitSecretChannel', p, { channelNumber }),
            w.call('quitSecretChannel', p, { channelNumber }),
          ]),
      );
    }
    const [{ n }] = await w.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM secret_channel_member WHERE active = 1 AND status <> 4',
    );
    expect((await w.channelRow(channelNumber)).member_count).toBe(Number(n));
    // the owner and the two who stayed
    expect(Number(n)).toBe(3);
  });

  it('should refuse approving a pending member when the channel is full', async () => {
    const { channelNumber, uniqueCode } = await w.apply(owner, { isVerify: '1' });
    const applicants = await Promise.all(Array.from({ length: CAPACITY }, () => w.account()));
    for (const a of applicants) {
      expect((await w.call('joinSecretChannel', a, { uniqueCode })).body.RESULT).toEqual({
        channelNumber,
        isVerify: '1',
      });
    }
    const approvals = await Promise.all(
      applicants.map((a) =>
        w.call('manageSecretChannelUsers', owner, {
          channelNumber,
          infoType: '2',
          curStatus: '1',
          userAccountID: a.accountID,
        }),
      ),
    );
    const codes = approvals.map((a) => a.body.ERRORCODE);
    expect(codes.filter((c) => c === '0')).toHaveLength(CAPACITY - 1);
    expect(codes.filter((c) => c === 'ME18108')).toHaveLength(1);
    expect((await w.channelRow(channelNumber)).member_count).toBe(CAPACITY);
  });

  it('should keep one key on one channel when binds of the same key race', async () => {
    const member = await w.account();
    const channels = [];
    for (let i = 0; i < 4; i++) {
      const c = await w.apply(owner, { channelName: `键频道${i}` });
      await w.join(member, c.uniqueCode);
      channels.push(c.channelNumber);
    }
    const answers = await Promise.all(
      channels.flatMap((channelNumber) => [
        w.call('setUserkeyInfo', member, { actionType: '5', channelNumber }),
        w.call('setUserkeyInfo', member, { actionType: '4', channelNumber }),
      ]),
    );
    expect(answers.map((a) => a.body.ERRORCODE)).toEqual(Array(8).fill('0'));
    const keys = await w.query<{ action_type: number }>(
      'SELECT action_type FROM secret_channel_key_binding WHERE account_id = ? ORDER BY action_type',
      [member.accountID],
    );
    expect(keys.map((k) => k.action_type)).toEqual([4, 5]);
  });

  it('should never leave a key bound to a channel its member has quit when bind and quit race', async () => {
    const member = await w.account();
    const { channelNumber, uniqueCode } = await w.apply(owner);
    for (let round = 0; round < 5; round++) {
      await w.join(member, uniqueCode);
      await Promise.all([
        w.call('setUserkeyInfo', member, { actionType: '4', channelNumber }),
        w.call('quitSecretChannel', member, { channelNumber }),
      ]);
      const [row] = await w.query<{ active: number }>('SELECT active FROM secret_channel_member WHERE account_id = ?', [
        member.accountID,
      ]);
      const keys = await w.query('SELECT * FROM secret_channel_key_binding WHERE account_id = ?', [member.accountID]);
      expect(row.active === 1 || keys.length === 0).toBe(true);
      await w.call('setUserkeyInfo', member, { actionType: '4', channelNumber: '' });
      const quit = row.active === 1 ? await w.call('quitSecretChannel', member, { channelNumber }) : null;
      expect(quit?.body.ERRORCODE ?? '0').toBe('0');
    }
  });
});
