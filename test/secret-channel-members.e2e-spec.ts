import { CacheInvalidationService } from '../src/common/cache/cache-invalidation.service';
import { SecretChannelMuteSweeperService } from '../src/secret-channel/secret-channel-mute-sweeper.service';
import { eventually, FakeHttpServer, sleep } from './utils/fake-http-server';
import { TestAccount } from './utils/fixtures';
import { expectRefused, SecretWorld } from './utils/secret-channel-world';

const MAX_ADMINS = 2;

describe('channel members: admins, timed mutes, the member list (e2e)', () => {
  let w: SecretWorld;
  let receiver: FakeHttpServer;
  let owner: TestAccount;
  let member: TestAccount;
  let other: TestAccount;
  let outsider: TestAccount;

  beforeAll(async () => {
    receiver = await FakeHttpServer.start();
    w = await SecretWorld.start({
      MAX_ADMINS_PER_CHANNEL: String(MAX_ADMINS),
      OUTBOUND_ALLOW_PRIVATE: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await w.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await w.reset();
    receiver.reset(() => ({ status: 200, body: 'ok' }));
    [owner, member, other, outsider] = await Promise.all([w.account(), w.account(), w.account(), w.account()]);
  });

  async function channelWith(...joiners: TestAccount[]): Promise<{ channelNumber: string; uniqueCode: string }> {
    const c = await w.apply(owner);
    for (const j of joiners) {
      await w.join(j, c.uniqueCode);
    }
    return c;
  }

  const setAdmin = (who: TestAccount, channelNumber: string, target: string, isAdmin = '1') =>
    w.call('setSecretChannelAdmin', who, { channelNumber, userAccountID: target, isAdmin });
  const manage = (who: TestAccount, channelNumber: string, target: string, curStatus: string, extra = {}) =>
    w.call('manageSecretChannelUsers', who, {
      channelNumber,
      infoType: '2',
      curStatus,
      userAccountID: target,
      ...extra,
    });
  const members = (who: TestAccount, channelNumber: string, extra: Record<string, string> = {}) =>
    w.call('fetchSecretChannelMembers', who, { channelNumber, ...extra });
  const eventNames = async (): Promise<string[]> =>
    (await w.query<{ event: string }>('SELECT event FROM partner_event ORDER BY id')).map((e) => e.event);
  /** Refused, nothing stored moved, and no event was written either. */
  async function refused(request: () => ReturnType<SecretWorld['call']>, code: string, result?: string): Promise<void> {
    const events = await eventNames();
    await expectRefused(w, request, code, result);
    expect(await eventNames()).toEqual(events);
  }

  describe('setSecretChannelAdmin', () => {
    it('should appoint and demote an admin, auditing it and writing a member_role_changed event', async () => {
      const c = await channelWith(member);
      const res = await setAdmin(owner, c.channelNumber, member.accountID);
      expect(res.body).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      expect(await w.member(c.channelNumber, member.accountID)).toMatchObject({ role: 'admin', status: 1, active: 1 });
      expect((await w.info(member, c.channelNumber)).role).toBe('admin');
      expect((await setAdmin(owner, c.channelNumber, member.accountID, '0')).body.RESULT).toBe('ok!');
      expect((await w.member(c.channelNumber, member.accountID))?.role).toBe('member');
      const audit = await w.query<{ action: string; before: unknown; after: unknown }>(
        "SELECT action, before_state AS `before`, after_state AS `after` FROM audit_log WHERE action = 'secret-channel.member-role' ORDER BY id",
      );
      expect(audit.map((a) => [a.before, a.after])).toEqual([
        [{ role: 'member' }, { role: 'admin' }],
        [{ role: 'admin' }, { role: 'member' }],
      ]);
      const events = await w.query<Record<string, string>>(
        "SELECT actor_account_id AS actor, subject_account_id AS subject, data FROM partner_event WHERE event = 'secret_channel.member_role_changed' ORDER BY id",
      );
      expect(events).toEqual([
        {
          actor: owner.accountID,
          subject: member.accountID,
          data: JSON.stringify({ before: { role: 'member' }, after: { role: 'admin' } }),
        },
        {
          actor: owner.accountID,
          subject: member.accountID,
          data: JSON.stringify({ before: { role: 'admin' }, after: { role: 'member' } }),
        },
      ]);
    });

    it('should answer ME01023 naming the parameter, checked in the order of the contract', async () => {
      const c = await channelWith(member);
      await refused(() => setAdmin(owner, '1234', member.accountID), 'ME01023', 'channelNumber is error!');
      await refused(() => setAdmin(owner, c.channelNumber, 'short'), 'ME01023', 'userAccountID is error!');
      await refused(() => setAdmin(owner, c.channelNumber, member.accountID, '2'), 'ME01023', 'isAdmin is error!');
      await refused(
        () =>
          w.call('setSecretChannelAdmin', owner, { channelNumber: c.channelNumber, userAccountID: member.accountID }),
        'ME01023',
        'isAdmin is error!',
      );
    });

    it('should answer ME18053, ME18109, ME18306, ME18305, ME18312 and ME18105 in that order', async () => {
      const c = await channelWith(member, other);
      await setAdmin(owner, c.channelNumber, other.accountID);
      await w.query('DELETE FROM account WHERE account_id = ?', [outsider.accountID]);
      // The caller's account is checked before the channel, even an unknown one.
      await refused(() => setAdmin(outsider, '999999999', member.accountID), 'ME18053', 'this accountID is not exist!');
      await refused(() => setAdmin(owner, '999999999', owner.accountID), 'ME18109', 'channel number is error');
      // An admin is not the owner: only the owner appoints.
      await refused(() => setAdmin(other, c.channelNumber, other.accountID), 'ME18306', 'you are not manager');
      await refused(() => setAdmin(member, c.channelNumber, other.accountID), 'ME18306');
      await refused(() => setAdmin(owner, c.channelNumber, owner.accountID), 'ME18305', 'do not manage self');
      await refused(() => setAdmin(owner, c.channelNumber, outsider.accountID), 'ME18312', 'did not join');
      await refused(() => setAdmin(owner, c.channelNumber, 'ZZZZZZZZZZ'), 'ME18312');
      await refused(() => setAdmin(owner, c.channelNumber, other.accountID), 'ME18105', 'Repeat submitted');
      await refused(() => setAdmin(owner, c.channelNumber, member.accountID, '0'), 'ME18105');
      // A member who quit, and one still waiting for approval, are not members.
      expect((await w.call('quitSecretChannel', member, { channelNumber: c.channelNumber })).body.ERRORCODE).toBe('0');
      await refused(() => setAdmin(owner, c.channelNumber, member.accountID), 'ME18312');
      const verified = await w.apply(owner, { channelName: '审核频道', isVerify: '1' });
      await w.join(member, verified.uniqueCode);
      await refused(() => setAdmin(owner, verified.channelNumber, member.accountID), 'ME18312');
      // A closed channel is not live.
      const operator = await w.account(['operator']);
      await w.call('manageSecretChannelUsers', operator, {
        channelNumber: c.channelNumber,
        infoType: '1',
        curStatus: '2',
        userAccountID: owner.accountID,
      });
      await refused(() => setAdmin(owner, c.channelNumber, other.accountID, '0'), 'ME18109');
    });

    it('should answer ME18315 past MAX_ADMINS_PER_CHANNEL, and hold the limit under concurrent appointments', async () => {
      const candidates = await Promise.all(Array.from({ length: 6 }, () => w.account()));
      const c = await channelWith(...candidates);
      const answers = await Promise.all(candidates.map((m) => setAdmin(owner, c.channelNumber, m.accountID)));
      const codes = answers.map((a) => a.body.ERRORCODE).sort();
      expect(codes).toEqual(['0', '0', 'ME18315', 'ME18315', 'ME18315', 'ME18315']);
      expect(answers.find((a) => a.body.ERRORCODE === 'ME18315')?.body.RESULT).toBe('admin Maximum');
      const [{ n }] = await w.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM secret_channel_member WHERE role = 'admin' AND active = 1",
      );
      expect(Number(n)).toBe(MAX_ADMINS);
      const loser = candidates.find((_, i) => answers[i].body.ERRORCODE !== '0')!;
      await refused(() => setAdmin(owner, c.channelNumber, loser.accountID), 'ME18315');
      // Demoting one frees a place.
      const winner = candidates.find((_, i) => answers[i].body.ERRORCODE === '0')!;
      expect((await setAdmin(owner, c.channelNumber, winner.accountID, '0')).body.ERRORCODE).toBe('0');
      expect((await setAdmin(owner, c.channelNumber, loser.accountID)).body.ERRORCODE).toBe('0');
    });
  });

  describe('admins in manageSecretChannelUsers', () => {
    it('should let an admin mute, blacklist and restore a plain member, but not the owner or another admin', async () => {
      const c = await channelWith(member, other, outsider);
      await setAdmin(owner, c.channelNumber, member.accountID);
      await setAdmin(owner, c.channelNumber, other.accountID);
      expect((await manage(member, c.channelNumber, outsider.accountID, '2')).body).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok',
      });
      expect((await manage(member, c.channelNumber, outsider.accountID, '3')).body.ERRORCODE).toBe('0');
      expect((await manage(member, c.channelNumber, outsider.accountID, '1')).body.ERRORCODE).toBe('0');
      await refused(() => manage(member, c.channelNumber, owner.accountID, '2'), 'ME18306');
      await refused(() => manage(member, c.channelNumber, other.accountID, '2'), 'ME18306');
      // The owner manages admins.
      expect((await manage(owner, c.channelNumber, other.accountID, '2')).body.ERRORCODE).toBe('0');
      const actions = await w.query<{ actor: string }>(
        "SELECT actor_account_id AS actor FROM audit_log WHERE action = 'secret-channel.member-status' ORDER BY id",
      );
      expect(actions.map((a) => a.actor)).toEqual([
        member.accountID,
        member.accountID,
        member.accountID,
        owner.accountID,
      ]);
    });

    it('should let an admin approve a pending join, which is reported as member_joined', async () => {
      const c = await w.apply(owner, { isVerify: '1' });
      await w.join(member, c.uniqueCode);
      await manage(owner, c.channelNumber, member.accountID, '1');
      await setAdmin(owner, c.channelNumber, member.accountID);
      await w.join(other, c.uniqueCode);
      expect((await manage(member, c.channelNumber, other.accountID, '1')).body.ERRORCODE).toBe('0');
      expect(await w.member(c.channelNumber, other.accountID)).toMatchObject({ status: 1, active: 1 });
      expect(await eventNames()).toEqual([
        'secret_channel.created',
        'secret_channel.join_requested',
        'secret_channel.member_joined',
        'secret_channel.member_role_changed',
        'secret_channel.join_requested',
        'secret_channel.member_joined',
      ]);
    });
  });

  describe('timed mutes', () => {
    it('should answer ME01023 muteSeconds outside 60-2592000 or not an integer', async () => {
      const c = await channelWith(member);
      for (const muteSeconds of ['59', '2592001', '0', '-60', '6O', '1.5']) {
        await refused(
          () => manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds }),
          'ME01023',
          'muteSeconds is error!',
        );
      }
    });

    it('should answer ME01023 muteSeconds when it comes with a status other than mute', async () => {
      const c = await channelWith(member);
      await refused(
        () => manage(owner, c.channelNumber, member.accountID, '3', { muteSeconds: '60' }),
        'ME01023',
        'muteSeconds is error!',
      );
    });

    it('should mute until the time given, shown as muteUntil, with both bounds accepted', async () => {
      const c = await channelWith(member, other);
      const before = Math.floor(Date.now() / 1000);
      expect((await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '60' })).body.ERRORCODE).toBe(
        '0',
      );
      expect(
        (await manage(owner, c.channelNumber, other.accountID, '2', { muteSeconds: '2592000' })).body.ERRORCODE,
      ).toBe('0');
      expect((await w.info(member, c.channelNumber)).memberStatus).toBe('2');
      const list = (await members(owner, c.channelNumber)).body.RESULT.list as Array<Record<string, string>>;
      const muted = list.find((m) => m.accountID === member.accountID)!;
      expect(Number(muted.muteUntil)).toBeGreaterThanOrEqual(before + 60);
      expect(Number(muted.muteUntil)).toBeLessThanOrEqual(before + 62);
      expect(Number(list.find((m) => m.accountID === other.accountID)!.muteUntil)).toBeGreaterThanOrEqual(
        before + 2592000,
      );
      // A mute without a length lasts until lifted and shows no muteUntil.
      await manage(owner, c.channelNumber, other.accountID, '1');
      await manage(owner, c.channelNumber, other.accountID, '2');
      const again = (await members(owner, c.channelNumber)).body.RESULT.list as Array<Record<string, string>>;
      expect(again.find((m) => m.accountID === other.accountID)).toMatchObject({ memberStatus: '2', muteUntil: '' });
      const [audit] = await w.query<{ after: unknown }>(
        "SELECT after_state AS `after` FROM audit_log WHERE action = 'secret-channel.member-status' ORDER BY id LIMIT 1",
      );
      expect(audit.after).toMatchObject({ status: 2, muteUntil: muted.muteUntil });
    });

    it('should end a timed mute with no request: the row, the audit trail and a signed event to the partner', async () => {
      const c = await channelWith(member);
      const hook = await w.client.admin('PUT', `/admin/apps/${w.partner.appKey}/webhook`, {
        url: `${receiver.baseUrl}/events`,
        events: ['secret_channel.member_status_changed'],
      });
      expect(hook.status).toBe(200);
      await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '60' });
      // The minute passes: moved in the database rather than waited for.
      await w.query('UPDATE secret_channel_member SET mute_until = ? WHERE account_id = ?', [
        new Date(Date.now() - 1000),
        member.accountID,
      ]);
      const expiry = (r: { form: Record<string, string> }) => r.form.actorAccountID === '';
      const [delivery] = await receiver.waitFor(1, expiry, 15000);
      expect(delivery.form).toMatchObject({
        event: 'secret_channel.member_status_changed',
        channelNumber: c.channelNumber,
        actorAccountID: '',
        subjectAccountID: member.accountID,
        appKey: w.partner.appKey,
      });
      expect(JSON.parse(delivery.form.data)).toMatchObject({ before: { memberStatus: 2 }, after: { memberStatus: 1 } });
      expect(await w.member(c.channelNumber, member.accountID)).toMatchObject({ status: 1 });
      const [row] = await w.query<{ mute_until: Date | null }>(
        'SELECT mute_until FROM secret_channel_member WHERE account_id = ?',
        [member.accountID],
      );
      expect(row.mute_until).toBeNull();
      const audit = await w.query<{ actor: string | null }>(
        "SELECT actor_account_id AS actor FROM audit_log WHERE action = 'secret-channel.mute-expired'",
      );
      expect(audit).toEqual([{ actor: null }]);
      await eventually(
        () => w.query<{ status: string }>('SELECT status FROM webhook_delivery'),
        (rows) => rows.length === 2 && rows.every((r) => r.status === 'delivered'),
      );
    });
  });

  it('should invalidate the channel in the secret-channel topic after setAdmin, a mute and its expiry', async () => {
    const dropped: string[] = [];
    w.t.app.get(CacheInvalidationService).register('secret-channel', {
      delete: (key) => dropped.push(key),
      clear: () => undefined,
    });
    const c = await channelWith(member);
    // Each invalidation drops the entry here at once and again when this instance hears its own pub/sub message.
    dropped.length = 0;
    await setAdmin(owner, c.channelNumber, member.accountID);
    expect(dropped).toContain(c.channelNumber);
    dropped.length = 0;
    await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '60' });
    expect(dropped).toContain(c.channelNumber);
    await sleep(200);
    dropped.length = 0;
    await w.query('UPDATE secret_channel_member SET mute_until = ? WHERE account_id = ?', [
      new Date(Date.now() - 1000),
      member.accountID,
    ]);
    await eventually(
      async () => [...dropped],
      (keys) => keys.includes(c.channelNumber),
    );
    expect(new Set(dropped)).toEqual(new Set([c.channelNumber]));
  });

  describe('fetchSecretChannelMembers', () => {
    it('should list the owner, then admins by join time, then members by join time, with nicknames, paged', async () => {
      const joiners = await Promise.all(Array.from({ length: 5 }, () => w.account()));
      const c = await channelWith(...joiners);
      await w.query('UPDATE account SET nickname = ? WHERE account_id = ?', ['老王', joiners[0].accountID]);
      await setAdmin(owner, c.channelNumber, joiners[3].accountID);
      await setAdmin(owner, c.channelNumber, joiners[1].accountID);
      const res = await members(joiners[4], c.channelNumber);
      expect(res.body.ERRORCODE).toBe('0');
      expect(res.body.RESULT.count).toBe('6');
      const list = res.body.RESULT.list as Array<Record<string, string>>;
      expect(list.map((m) => [m.accountID, m.role])).toEqual([
        [owner.accountID, 'owner'],
        [joiners[1].accountID, 'admin'],
        [joiners[3].accountID, 'admin'],
        [joiners[0].accountID, 'member'],
        [joiners[2].accountID, 'member'],
        [joiners[4].accountID, 'member'],
      ]);
      expect(list[3]).toEqual({
        accountID: joiners[0].accountID,
        nickname: '老王',
        role: 'member',
        memberStatus: '1',
        joinTime: expect.stringMatching(/^\d{10}$/),
        muteUntil: '',
      });
      const page2 = await members(owner, c.channelNumber, { startPage: '2', pageCount: '4' });
      expect(page2.body.RESULT.count).toBe('6');
      expect((page2.body.RESULT.list as Array<{ accountID: string }>).map((m) => m.accountID)).toEqual([
        joiners[2].accountID,
        joiners[4].accountID,
      ]);
      const beyond = await members(owner, c.channelNumber, { startPage: '3', pageCount: '4' });
      expect(beyond.body.RESULT).toEqual({ count: '6', list: [] });
    });

    it('should show pending members to the owner and admins only, and filter by status', async () => {
      const c = await w.apply(owner, { isVerify: '1' });
      await w.join(member, c.uniqueCode);
      await manage(owner, c.channelNumber, member.accountID, '1');
      await w.join(other, c.uniqueCode);
      await manage(owner, c.channelNumber, other.accountID, '1');
      await setAdmin(owner, c.channelNumber, other.accountID);
      await w.join(outsider, c.uniqueCode); // pending
      const ids = (r: { body: { RESULT: { list: Array<{ accountID: string }> } } }) =>
        r.body.RESULT.list.map((m) => m.accountID);
      expect((await members(owner, c.channelNumber)).body.RESULT.count).toBe('4');
      expect(ids(await members(other, c.channelNumber))).toContain(outsider.accountID);
      const plain = await members(member, c.channelNumber);
      expect(plain.body.RESULT.count).toBe('3');
      expect(ids(plain)).not.toContain(outsider.accountID);
      expect((await members(member, c.channelNumber, { memberStatus: '4' })).body.RESULT).toEqual({
        count: '0',
        list: [],
      });
      const pending = await members(owner, c.channelNumber, { memberStatus: '4' });
      expect(pending.body.RESULT.count).toBe('1');
      expect(pending.body.RESULT.list[0]).toMatchObject({
        accountID: outsider.accountID,
        memberStatus: '4',
        role: 'member',
      });
      await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '600' });
      expect(ids(await members(member, c.channelNumber, { memberStatus: '2' }))).toEqual([member.accountID]);
      expect(ids(await members(member, c.channelNumber, { memberStatus: '1' }))).toEqual([
        owner.accountID,
        other.accountID,
      ]);
      await manage(owner, c.channelNumber, member.accountID, '3');
      expect(ids(await members(other, c.channelNumber, { memberStatus: '3' }))).toEqual([member.accountID]);
    });

    it('should answer ME18312 to pending, former and non-members, ME18109 and ME18053 and bad parameters', async () => {
      const c = await w.apply(owner, { isVerify: '1' });
      await w.join(member, c.uniqueCode);
      await refused(() => members(member, c.channelNumber), 'ME18312', 'did not join');
      await refused(() => members(outsider, c.channelNumber), 'ME18312');
      await manage(owner, c.channelNumber, member.accountID, '1');
      await w.call('quitSecretChannel', member, { channelNumber: c.channelNumber });
      await refused(() => members(member, c.channelNumber), 'ME18312');
      await refused(() => members(owner, '999999999'), 'ME18109', 'channel number is error');
      await refused(() => members(owner, c.channelNumber, { pageCount: '101' }), 'ME01023', 'pageCount is error!');
      await refused(() => members(owner, c.channelNumber, { pageCount: '0' }), 'ME01023', 'pageCount is error!');
      await refused(() => members(owner, c.channelNumber, { startPage: '0' }), 'ME01023', 'startPage is error!');
      await refused(() => members(owner, c.channelNumber, { memberStatus: '5' }), 'ME01023', 'memberStatus is error!');
      await refused(() => members(owner, '1234'), 'ME01023', 'channelNumber is error!');
      await w.query('DELETE FROM account WHERE account_id = ?', [outsider.accountID]);
      await refused(() => members(outsider, c.channelNumber), 'ME18053');
    });

    it('should read the page off idx_secret_channel_member_list without a filesort', async () => {
      const c = await channelWith(member);
      const [{ id }] = await w.query<{ id: string }>('SELECT id FROM secret_channel WHERE channel_number = ?', [
        c.channelNumber,
      ]);
      // 3,000 memberships over three channels, so the optimiser has a real choice to make.
      await w.query(
        `INSERT INTO secret_channel_member (channel_id, account_id, role, status, active, remark, joined_at)
         SELECT ? + (s.seq % 3), LPAD(s.seq, 10, 'x'), 'member', 1, 1, '', NOW(3) - INTERVAL s.seq SECOND FROM seq_1_to_3000 s`,
        [id],
      );
      await w.query('ANALYZE TABLE secret_channel_member');
      const [plan] = await w.query<{ key: string; Extra: string }>(
        `EXPLAIN SELECT account_id FROM secret_channel_member WHERE channel_id = ? AND active = 1 AND status <> 4
         ORDER BY role_rank, joined_at, id LIMIT 20 OFFSET 40`,
        [id],
      );
      expect(plan.key).toBe('idx_secret_channel_member_list');
      expect(plan.Extra).not.toMatch(/filesort/i);
      const res = await members(owner, c.channelNumber, { startPage: '3' });
      expect(res.body.RESULT.count).toBe('1002');
      expect(res.body.RESULT.list).toHaveLength(20);
    });
  });

  // Last: it stops this app's sweeper, so only the read-time rule can explain what the reads show.
  it('should read a timed mute that ran out as normal at once, before any sweeper rewrote the row', async () => {
    await w.t.app.get(SecretChannelMuteSweeperService).beforeApplicationShutdown();
    const c = await channelWith(member, other);
    await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '60' });
    await w.query('UPDATE secret_channel_member SET mute_until = ? WHERE account_id = ?', [
      new Date(Date.now() - 1),
      member.accountID,
    ]);
    expect((await w.info(member, c.channelNumber)).memberStatus).toBe('1');
    const list = (await members(other, c.channelNumber)).body.RESULT.list as Array<Record<string, string>>;
    expect(list.find((m) => m.accountID === member.accountID)).toMatchObject({ memberStatus: '1', muteUntil: '' });
    expect((await members(other, c.channelNumber, { memberStatus: '2' })).body.RESULT.count).toBe('0');
    // Setting normal again is a repeat; muting again starts a new mute.
    await refused(() => manage(owner, c.channelNumber, member.accountID, '1'), 'ME18105');
    expect((await manage(owner, c.channelNumber, member.accountID, '2')).body.ERRORCODE).toBe('0');
    // Stored row unchanged by anything but requests: the sweeper is off.
    expect(await w.member(c.channelNumber, member.accountID)).toMatchObject({ status: 2 });
    expect(await w.query("SELECT id FROM audit_log WHERE action = 'secret-channel.mute-expired'")).toEqual([]);
  });
  // After the one above: this app's timer is stopped, so the sweeps below are the only ones.
  it('should end a mute once when two sweepers run at the same moment', async () => {
    const sweeper = w.t.app.get(SecretChannelMuteSweeperService);
    await sweeper.beforeApplicationShutdown();
    const c = await channelWith(member, other);
    await manage(owner, c.channelNumber, member.accountID, '2', { muteSeconds: '60' });
    await manage(owner, c.channelNumber, other.accountID, '2', { muteSeconds: '60' });
    await w.query('UPDATE secret_channel_member SET mute_until = ? WHERE status = 2', [new Date(Date.now() - 1000)]);
    const ended = await Promise.all([sweeper.sweep(), sweeper.sweep(), sweeper.sweep()]);
    // A sweeper skips a channel another one holds, so one may be left for the next round; never ended twice.
    const later = await sweeper.sweep();
    expect(ended.reduce((a, b) => a + b, 0) + later).toBe(2);
    const audit = await w.query<{ entity: string }>(
      "SELECT entity_id AS entity FROM audit_log WHERE action = 'secret-channel.mute-expired' ORDER BY entity_id",
    );
    expect(audit.map((a) => a.entity).sort()).toEqual(
      [`${c.channelNumber}:${member.accountID}`, `${c.channelNumber}:${other.accountID}`].sort(),
    );
    const events = await w.query<{ subject: string }>(
      "SELECT subject_account_id AS subject FROM partner_event WHERE event = 'secret_channel.member_status_changed' AND actor_account_id = ''",
    );
    expect(events.map((e) => e.subject).sort()).toEqual([member.accountID, other.accountID].sort());
    expect(await sweeper.sweep()).toBe(0);
  });
});
