import { TestAccount } from './utils/fixtures';
import { applyParams, expectRefused, SecretWorld } from './utils/secret-channel-world';

describe('secret channel: the whole story (e2e)', () => {
  let w: SecretWorld;
  let owner: TestAccount;
  let member: TestAccount;
  let company: TestAccount;

  beforeAll(async () => {
    w = await SecretWorld.start();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    owner = await w.account();
    member = await w.account();
    company = await w.account(['operator']);
  });

  it('should carry a channel from apply through members, keys, transfer, closing and dissolving', async () => {
    const applied = await w.call('applySecretChannel', owner, applyParams({ channelName: '车友群' }));
    expect(applied.body.ERRORCODE).toBe('0');
    const { channelNumber, uniqueCode } = applied.body.RESULT as { channelNumber: string; uniqueCode: string };
    expect(channelNumber).toMatch(/^\d{9}$/);
    expect(uniqueCode).toMatch(new RegExp(`^${channelNumber}\\|[0-9a-f]{32}$`));

    // join by the invitation code
    const joined = await w.call('joinSecretChannel', member, { uniqueCode });
    expect(joined.text).toBe(`{"ERRORCODE":"0","RESULT":{"channelNumber":"${channelNumber}","isVerify":"0"}}`);
    expect((await w.channelRow(channelNumber)).member_count).toBe(2);

    // mute, then blacklist
    const manage = (curStatus: string) =>
      w.call('manageSecretChannelUsers', owner, {
        channelNumber,
        infoType: '2',
        curStatus,
        userAccountID: member.accountID,
      });
    expect((await manage('2')).text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
    expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 2, active: 1 });
    expect((await manage('3')).text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
    expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 3, active: 1 });

    // a blacklisted member cannot bind a key, may quit, and cannot come back
    await expectRefused(
      w,
      () => w.call('setUserkeyInfo', member, { actionType: '5', channelNumber }),
      'ME18314',
      'current user is BLACK',
    );
    expect((await w.call('quitSecretChannel', member, { channelNumber })).text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
    expect((await w.channelRow(channelNumber)).member_count).toBe(1);
    await expectRefused(
      w,
      () => w.call('joinSecretChannel', member, { uniqueCode }),
      'ME18314',
      'current user is BLACK',
    );

    // lifting the blacklist lets the former member back in
    expect((await manage('1')).body.ERRORCODE).toBe('0');
    expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'member', status: 1, active: 0 });
    expect((await w.call('joinSecretChannel', member, { uniqueCode })).body.ERRORCODE).toBe('0');
    expect((await w.channelRow(channelNumber)).member_count).toBe(2);

    // a bound key blocks quitting until it is unbound
    expect((await w.call('setUserkeyInfo', member, { actionType: '5', channelNumber })).text).toBe(
      '{"ERRORCODE":"0","RESULT":"ok!"}',
    );
    expect((await w.info(member, channelNumber)).bindKey).toBe('5');
    await expectRefused(
      w,
      () => w.call('quitSecretChannel', member, { channelNumber }),
      'ME18311',
      'current channel is binded',
    );
    expect((await w.call('setUserkeyInfo', member, { actionType: '5', channelNumber: '' })).body.ERRORCODE).toBe('0');
    expect((await w.info(member, channelNumber)).bindKey).toBe('');
    expect((await w.call('quitSecretChannel', member, { channelNumber })).body.ERRORCODE).toBe('0');
    expect((await w.channelRow(channelNumber)).member_count).toBe(1);

    // the owner cannot quit; after a transfer the old owner can
    expect((await w.call('joinSecretChannel', member, { uniqueCode })).body.ERRORCODE).toBe('0');
    await expectRefused(w, () => w.call('quitSecretChannel', owner, { channelNumber }), 'ME18313', 'deny quit');
    const transferred = await w.call('transferSecretChannel', owner, {
      receiverAccountID: member.accountID,
      channelNumber,
    });
    expect(transferred.text).toBe('{"ERRORCODE":"0","RESULT":"ok!"}');
    expect((await w.channelRow(channelNumber)).owner_account_id).toBe(member.accountID);
    expect(await w.member(channelNumber, owner.accountID)).toEqual({ role: 'member', status: 1, active: 1 });
    expect(await w.member(channelNumber, member.accountID)).toEqual({ role: 'owner', status: 1, active: 1 });
    expect((await w.call('quitSecretChannel', owner, { channelNumber })).body.ERRORCODE).toBe('0');
    expect((await w.channelRow(channelNumber)).member_count).toBe(1);

    // the company closes the channel: a non-operator cannot; routes answer ME18109; reopening restores
    expect((await w.call('joinSecretChannel', owner, { uniqueCode })).body.ERRORCODE).toBe('0');
    expect((await w.call('setUserkeyInfo', owner, { actionType: '4', channelNumber })).body.ERRORCODE).toBe('0');
    const close = (who: TestAccount, curStatus: string) =>
      w.call('manageSecretChannelUsers', who, { channelNumber, infoType: '1', curStatus });
    await expectRefused(w, () => close(owner, '2'), 'ME18306', 'you are not manager');
    expect((await close(company, '2')).text).toBe('{"ERRORCODE":"0","RESULT":"ok"}');
    const membersWhileClosed = await w.query(
      'SELECT account_id, role, status, active FROM secret_channel_member ORDER BY id',
    );
    await expectRefused(
      w,
      () => w.call('quitSecretChannel', owner, { channelNumber }),
      'ME18109',
      'channel number is error',
    );
    await expectRefused(w, () => w.call('getSecretChannelInfo', owner, { channelNumber }), 'ME18109');
    await expectRefused(w, () => w.call('setUserkeyInfo', owner, { actionType: '5', channelNumber }), 'ME18109');
    await expectRefused(w, () => w.call('joinSecretChannel', company, { uniqueCode }), 'ME18107');
    await expectRefused(
      w,
      () =>
        w.call('manageSecretChannelUsers', member, {
          channelNumber,
          infoType: '2',
          curStatus: '2',
          userAccountID: owner.accountID,
        }),
      'ME18109',
    );
    expect((await close(company, '1')).body.ERRORCODE).toBe('0');
    expect(await w.query('SELECT account_id, role, status, active FROM secret_channel_member ORDER BY id')).toEqual(
      membersWhileClosed,
    );
    const reopened = await w.info(owner, channelNumber);
    expect(reopened).toMatchObject({
      memberCount: '2',
      role: 'member',
      isJoined: '1',
      bindKey: '4',
      channelStatus: '1',
    });

    // dissolve: the channel and every membership and binding end
    expect((await w.call('dissolveSecretChannel', member, { channelNumber })).text).toBe(
      '{"ERRORCODE":"0","RESULT":"ok!"}',
    );
    expect(await w.channelRow(channelNumber)).toMatchObject({ status: 3, member_count: 0 });
    expect(await w.query('SELECT * FROM secret_channel_member WHERE active = 1')).toEqual([]);
    expect(await w.query('SELECT * FROM secret_channel_key_binding')).toEqual([]);
    await expectRefused(w, () => w.call('getSecretChannelInfo', member, { channelNumber }), 'ME18109');
    await expectRefused(w, () => w.call('joinSecretChannel', company, { uniqueCode }), 'ME18107');

    const actions = (
      await w.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE action LIKE 'secret-channel.%' AND action <> 'secret-channel.voice' ORDER BY id",
      )
    ).map((r) => r.action);
    expect(actions).toEqual([
      'secret-channel.apply',
      'secret-channel.join',
      'secret-channel.member-status',
      'secret-channel.member-status',
      'secret-channel.quit',
      'secret-channel.member-status',
      'secret-channel.join',
      'secret-channel.bind-key',
      'secret-channel.unbind-key',
      'secret-channel.quit',
      'secret-channel.join',
      'secret-channel.transfer',
      'secret-channel.quit',
      'secret-channel.join',
      'secret-channel.bind-key',
      'secret-channel.close',
      'secret-channel.reopen',
      'secret-channel.dissolve',
    ]);
  });
});
