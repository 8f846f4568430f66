import { checkAmrNb } from '../src/common/audio/amr';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { MICRO_CATALOG, MicroClient, MicroWorld, provisionMicroWorld, SHARED_CATALOG } from './utils/micro-channel-client';
import { PartnerClient } from './utils/partner-client';

const PUBLIC_BASE_URL = 'http://channel.test';

interface AuditItem {
  actorAccountID: string | null;
  appKey: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  remark: string;
}

describe('micro channel review (e2e)', () => {
  let t: TestApp;
  let client: PartnerClient;
  let micro: MicroClient;
  let w: MicroWorld;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL });
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await resetState(t);
    w = await provisionMicroWorld(client);
    micro = new MicroClient(client, w.app);
  });

  /** The clip behind a voice URL is served over HTTP and is a valid AMR-NB file. */
  async function expectVoice(url: string): Promise<void> {
    expect(url).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/media/voice/[^/]+\\.amr$`));
    const res = await fetch(t.baseUrl + new URL(url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^audio\/amr/);
    const check = checkAmrNb(Buffer.from(await res.arrayBuffer()));
    expect(check).toMatchObject({ valid: true });
  }

  async function audit(query: string): Promise<AuditItem[]> {
    const res = await client.admin<{ items: AuditItem[] }>('GET', `/admin/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function editRow(id: string): Promise<{ status: number; check_remark: string; reviewer_account_id: string | null; pending_channel_id: string | null }> {
    const rows = await t.dataSource.query<Array<{ status: number; check_remark: string; reviewer_account_id: string | null; pending_channel_id: string | null }>>(
      'SELECT status, check_remark, reviewer_account_id, pending_channel_id FROM micro_channel_edit WHERE id = ?',
      [id],
    );
    return rows[0];
  }

  async function listCount(filters: Record<string, string>): Promise<string> {
    const res = await micro.list(w.reviewer, filters);
    expect(res.ERRORCODE).toBe('0');
    return (res.RESULT as { count: string }).count;
  }

  async function listIds(filters: Record<string, string>): Promise<{ count: string; ids: string[] }> {
    const res = await micro.list(w.reviewer, filters);
    expect(res.ERRORCODE).toBe('0');
    const result = res.RESULT as { count: string; list: Array<{ applyIdx: string }> };
    return { count: result.count, ids: result.list.map((item) => item.applyIdx) };
  }

  describe('the life cycle', () => {
    it('should apply, approve, edit, list, approve, edit, reject, close and reopen a micro channel', async () => {
      const { owner, other, reviewer } = w;

      // Apply: an application waiting for first review, not a channel yet.
      const applied = await micro.apply(owner, 'FMtest01');
      expect(applied).toEqual({ ERRORCODE: '0', RESULT: { applyIdx: expect.stringMatching(/^\d+$/) } });
      const applyIdx = (applied.RESULT as { applyIdx: string }).applyIdx;
      expect(await micro.info(owner, 'FMtest01')).toEqual({ ERRORCODE: 'ME18109', RESULT: 'channel number is error' });

      // First review approves: the channel is live with its spoken name.
      expect(await micro.checkApply(reviewer, applyIdx, '2', { checkRemark: '欢迎入驻' })).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const live = await micro.info(other, 'FMtest01');
      expect(live).toEqual({
        ERRORCODE: '0',
        RESULT: {
          channelNumber: 'FMtest01',
          accountID: owner.accountID,
          channelName: '交通之声',
          channelIntroduction: '每天早晚的路况播报',
          chiefAnnouncerIntr: '主播是二十年的老司机',
          cityCode: '110000',
          cityName: '北京市',
          catalogID: MICRO_CATALOG,
          catalogName: '交通',
          logoURL: 'http://img.example.com/logo/fm.png',
          keyWords: '路况,交通',
          channelNameURL: expect.any(String),
          channelStatus: '1',
          createTime: expect.stringMatching(/^\d{10}$/),
          updateTime: expect.stringMatching(/^\d{10}$/),
          pendingEdit: null,
        },
      });
      const firstVoice = (live.RESULT as { channelNameURL: string }).channelNameURL;
      await expectVoice(firstVoice);

      // The owner files an edit (the number in any case finds the channel); the live channel is unchanged.
      const edit1 = await micro.modifyOk(owner, 'fmTEST01', { channelName: '交通之声二台', channelCityCode: '440100' });
      const withEdit = await micro.info(owner, 'FMtest01');
      expect(withEdit.RESULT).toMatchObject({
        channelName: '交通之声',
        cityCode: '110000',
        pendingEdit: {
          applyIdx: edit1,
          channelName: '交通之声二台',
          channelIntroduction: '每天早晚的路况播报',
          cityCode: '440100',
          cityName: '广州市',
          catalogID: MICRO_CATALOG,
          createTime: expect.stringMatching(/^\d{10}$/),
        },
      });
      expect((await micro.info(other, 'FMtest01')).RESULT).toMatchObject({ pendingEdit: null });

      // Two more channels with pending edits, for the filters and paging.
      await micro.liveChannel(other, reviewer, 'FMpage02', { channelCatalogID: SHARED_CATALOG });
      await micro.liveChannel(other, reviewer, 'FMpage03');
      const edit2 = await micro.modifyOk(other, 'FMpage02', { channelName: '100%路况', channelCityCode: '110105' });
      const edit3 = await micro.modifyOk(other, 'FMpage03', { channelName: 'Night_Drive', channelCityCode: '0' });

      // Listed by infoType 1, oldest first, count = total matching as a string.
      const listed = await micro.list(reviewer);
      expect(listed.ERRORCODE).toBe('0');
      expect((listed.RESULT as { count: string }).count).toBe('3');
      expect((listed.RESULT as { list: unknown[] }).list[0]).toEqual({
        applyIdx: edit1,
        channelNumber: 'FMtest01',
        accountID: owner.accountID,
        channelName: '交通之声二台',
        channelIntroduction: '每天早晚的路况播报',
        chiefAnnouncerIntr: '主播是二十年的老司机',
        cityCode: '440100',
        cityName: '广州市',
        catalogID: MICRO_CATALOG,
        catalogName: '交通',
        logoURL: 'http://img.example.com/logo/fm.png',
        keyWords: '路况,交通',
        createTime: expect.stringMatching(/^\d{10}$/),
      });
      expect(await listIds({})).toEqual({ count: '3', ids: [edit1, edit2, edit3] });

      // Each filter, on the proposed content; LIKE wildcards in the input match literally.
      const filterCases: Array<[Record<string, string>, string[]]> = [
        [{ cityCode: '440100' }, [edit1]],
        [{ cityCode: '110105' }, [edit2]],
        [{ cityCode: '0' }, [edit3]],
        [{ cityCode: '110000' }, []],
        [{ catalogID: MICRO_CATALOG }, [edit1, edit3]],
        [{ catalogID: SHARED_CATALOG }, [edit2]],
        [{ catalogID: '999999' }, []],
        [{ channelName: '二台' }, [edit1]],
        [{ channelName: '%' }, [edit2]],
        [{ channelName: '_' }, [edit3]],
        [{ channelName: 'night' }, [edit3]],
        [{ channelName: '不存在' }, []],
        [{ channelNumber: 'TEST' }, [edit1]],
        [{ channelNumber: 'fmpage' }, [edit2, edit3]],
        [{ channelNumber: 'Fm' }, [edit1, edit2, edit3]],
        [{ channelNumber: '%' }, []],
        [{ channelNumber: '_' }, []],
        [{ channelNumber: 'fm', catalogID: MICRO_CATALOG }, [edit1, edit3]],
        [{ cityCode: '', catalogID: '', channelName: '', channelNumber: '' }, [edit1, edit2, edit3]],
      ];
      for (const [filters, ids] of filterCases) {
        expect({ filters, ...(await listIds(filters)) }).toEqual({ filters, count: String(ids.length), ids });
      }

      // Paging edges.
      expect(await listIds({ pageCount: '2' })).toEqual({ count: '3', ids: [edit1, edit2] });
      expect(await listIds({ pageCount: '2', startPage: '2' })).toEqual({ count: '3', ids: [edit3] });
      expect(await listIds({ pageCount: '2', startPage: '3' })).toEqual({ count: '3', ids: [] });
      expect(await listIds({ startPage: '999999999' })).toEqual({ count: '3', ids: [] });
      expect(await listIds({ pageCount: '499' })).toEqual({ count: '3', ids: [edit1, edit2, edit3] });
      expect(await listIds({ pageCount: '1', startPage: '1', channelNumber: 'fmpage' })).toEqual({ count: '2', ids: [edit2] });
      expect(await micro.list(reviewer, { pageCount: '500' })).toEqual({ ERRORCODE: 'ME01023', RESULT: 'pageCount is error!' });
      expect(await micro.list(reviewer, { pageCount: '0' })).toEqual({ ERRORCODE: 'ME01023', RESULT: 'pageCount is error!' });
      expect(await micro.list(reviewer, { startPage: '0' })).toEqual({ ERRORCODE: 'ME01023', RESULT: 'startPage is error!' });
      expect(await micro.list(reviewer, { startPage: '-1' })).toEqual({ ERRORCODE: 'ME01023', RESULT: 'startPage is error!' });

      // Approve: the live channel takes the edit and a new spoken name.
      expect(
        await micro.decide(reviewer, { accountID: owner.accountID, channelNumber: 'FMtest01', checkStatus: '2', applyIdx: edit1, checkRemark: '同意' }),
      ).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const approved = await micro.info(owner, 'FMtest01');
      expect(approved.RESULT).toMatchObject({ channelName: '交通之声二台', cityCode: '440100', cityName: '广州市', channelStatus: '1', pendingEdit: null });
      const secondVoice = (approved.RESULT as { channelNameURL: string }).channelNameURL;
      expect(secondVoice).not.toBe(firstVoice);
      await expectVoice(secondVoice);
      expect(await listIds({})).toEqual({ count: '2', ids: [edit2, edit3] });
      expect(await editRow(edit1)).toEqual({ status: 2, check_remark: '同意', reviewer_account_id: reviewer.accountID, pending_channel_id: null });

      // Edit again and reject: the live channel stays as approved.
      const edit4 = await micro.modifyOk(owner, 'FMtest01', { channelIntroduction: '晚高峰专题节目' });
      expect(
        await micro.decide(reviewer, { accountID: owner.accountID, channelNumber: 'FMtest01', checkStatus: '1', applyIdx: edit4, checkRemark: '内容不合适' }),
      ).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const afterReject = await micro.info(owner, 'FMtest01');
      expect(afterReject.RESULT).toMatchObject({
        channelName: '交通之声二台',
        channelIntroduction: '每天早晚的路况播报',
        channelNameURL: secondVoice,
        pendingEdit: null,
      });
      expect(await editRow(edit4)).toEqual({ status: 1, check_remark: '内容不合适', reviewer_account_id: reviewer.accountID, pending_channel_id: null });

      // Close: hidden from everyone but its owner, no edits filed.
      expect(await micro.decide(reviewer, { accountID: owner.accountID, channelNumber: 'FMtest01', checkStatus: '3', checkRemark: '违规' })).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok!',
      });
      expect(await micro.info(other, 'FMtest01')).toEqual({ ERRORCODE: 'ME18109', RESULT: 'channel number is error' });
      expect((await micro.info(owner, 'FMtest01')).RESULT).toMatchObject({ channelStatus: '2' });
      expect(await micro.modify(owner, 'FMtest01', { channelName: '新名字' })).toEqual({ ERRORCODE: 'ME18109', RESULT: 'channel number is error' });

      // Reopen.
      expect(await micro.decide(reviewer, { accountID: owner.accountID, channelNumber: 'FMtest01', checkStatus: '4' })).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok!',
      });
      expect((await micro.info(other, 'FMtest01')).RESULT).toMatchObject({ channelStatus: '1', channelName: '交通之声二台', channelNameURL: secondVoice });

      // Every decision is in the audit trail: who, from which status to which, the remark.
      const applicationAudit = await audit(`entityType=micro-channel-application&entityId=${applyIdx}`);
      expect(applicationAudit.map((a) => a.action)).toEqual(['micro-channel.application.approve', 'micro-channel.application.create']);
      expect(applicationAudit[0]).toMatchObject({
        actorAccountID: reviewer.accountID,
        appKey: w.app.appKey,
        before: { status: 'pending' },
        after: { status: 'approved', channelNumber: 'FMtest01', voiceUrl: firstVoice },
        remark: '欢迎入驻',
      });
      const approveAudit = await audit(`entityType=micro-channel-edit&entityId=${edit1}`);
      expect(approveAudit[0]).toMatchObject({
        actorAccountID: reviewer.accountID,
        action: 'micro-channel.edit.approve',
        before: { status: 'pending', channel: { name: '交通之声', cityCode: '110000', voiceUrl: firstVoice } },
        after: { status: 'approved', channel: { name: '交通之声二台', cityCode: '440100', voiceUrl: secondVoice } },
        remark: '同意',
      });
      const rejectAudit = await audit(`entityType=micro-channel-edit&entityId=${edit4}`);
      expect(rejectAudit[0]).toMatchObject({
        action: 'micro-channel.edit.reject',
        before: { status: 'pending' },
        after: { status: 'rejected' },
        remark: '内容不合适',
      });
      const channelAudit = await audit('entityType=micro-channel');
      expect(channelAudit.map((a) => [a.action, a.before, a.after, a.remark])).toEqual([
        ['micro-channel.reopen', { status: 'closed' }, { status: 'open' }, ''],
        ['micro-channel.close', { status: 'open' }, { status: 'closed' }, '违规'],
      ]);
    });
  });
});
