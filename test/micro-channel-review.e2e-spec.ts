import { checkAmrNb } from '../src/common/audio/amr';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import {
  MICRO_CATALOG,
  MicroClient,
  MicroWorld,
  provisionMicroWorld,
  SHARED_CATALOG,
} from './utils/micro-channel-client';
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

  async function editRow(id: string): Promise<{
    status: number;
    check_remark: string;
    reviewer_account_id: string | null;
    pending_channel_id: string | null;
  }> {
    const rows = await t.dataSource.query<
      Array<{
        status: number;
        check_remark: string;
        reviewer_account_id: string | null;
        pending_channel_id: string | null;
      }>
    >('SELECT status, check_remark, reviewer_account_id, pending_channel_id FROM micro_channel_edit WHERE id = ?', [
      id,
    ]);
    return rows[0];
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
      expect(await micro.checkApply(reviewer, applyIdx, '2', { checkRemark: '欢迎入驻' })).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok!',
      });
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
      expect(await listIds({ pageCount: '1', startPage: '1', channelNumber: 'fmpage' })).toEqual({
        count: '2',
        ids: [edit2],
      });
      expect(await micro.list(reviewer, { pageCount: '500' })).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'pageCount is error!',
      });
      expect(await micro.list(reviewer, { pageCount: '0' })).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'pageCount is error!',
      });
      expect(await micro.list(reviewer, { startPage: '0' })).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'startPage is error!',
      });
      expect(await micro.list(reviewer, { startPage: '-1' })).toEqual({
        ERRORCODE: 'ME01023',
        RESULT: 'startPage is error!',
      });

      // Approve: the live channel takes the edit and a new spoken name.
      expect(
        await micro.decide(reviewer, {
          accountID: owner.accountID,
          channelNumber: 'FMtest01',
          checkStatus: '2',
          applyIdx: edit1,
          checkRemark: '同意',
        }),
      ).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const approved = await micro.info(owner, 'FMtest01');
      expect(approved.RESULT).toMatchObject({
        channelName: '交通之声二台',
        cityCode: '440100',
        cityName: '广州市',
        channelStatus: '1',
        pendingEdit: null,
      });
      const secondVoice = (approved.RESULT as { channelNameURL: string }).channelNameURL;
      expect(secondVoice).not.toBe(firstVoice);
      await expectVoice(secondVoice);
      expect(await listIds({})).toEqual({ count: '2', ids: [edit2, edit3] });
      expect(await editRow(edit1)).toEqual({
        status: 2,
        check_remark: '同意',
        reviewer_account_id: reviewer.accountID,
        pending_channel_id: null,
      });

      // Edit again and reject: the live channel stays as approved.
      const edit4 = await micro.modifyOk(owner, 'FMtest01', { channelIntroduction: '晚高峰专题节目' });
      expect(
        await micro.decide(reviewer, {
          accountID: owner.accountID,
          channelNumber: 'FMtest01',
          checkStatus: '1',
          applyIdx: edit4,
          checkRemark: '内容不合适',
        }),
      ).toEqual({ ERRORCODE: '0', RESULT: 'ok!' });
      const afterReject = await micro.info(owner, 'FMtest01');
      expect(afterReject.RESULT).toMatchObject({
        channelName: '交通之声二台',
        channelIntroduction: '每天早晚的路况播报',
        channelNameURL: secondVoice,
        pendingEdit: null,
      });
      expect(await editRow(edit4)).toEqual({
        status: 1,
        check_remark: '内容不合适',
        reviewer_account_id: reviewer.accountID,
        pending_channel_id: null,
      });

      // Close: hidden from everyone but its owner, no edits filed.
      expect(
        await micro.decide(reviewer, {
          accountID: owner.accountID,
          channelNumber: 'FMtest01',
          checkStatus: '3',
          checkRemark: '违规',
        }),
      ).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok!',
      });
      expect(await micro.info(other, 'FMtest01')).toEqual({ ERRORCODE: 'ME18109', RESULT: 'channel number is error' });
      expect((await micro.info(owner, 'FMtest01')).RESULT).toMatchObject({ channelStatus: '2' });
      expect(await micro.modify(owner, 'FMtest01', { channelName: '新名字' })).toEqual({
        ERRORCODE: 'ME18109',
        RESULT: 'channel number is error',
      });

      // Reopen.
      expect(
        await micro.decide(reviewer, { accountID: owner.accountID, channelNumber: 'FMtest01', checkStatus: '4' }),
      ).toEqual({
        ERRORCODE: '0',
        RESULT: 'ok!',
      });
      expect((await micro.info(other, 'FMtest01')).RESULT).toMatchObject({
        channelStatus: '1',
        channelName: '交通之声二台',
        channelNameURL: secondVoice,
      });

      // Every decision is in the audit trail: who, from which status to which, the remark.
      const applicationAudit = await audit(`entityType=micro-channel-application&entityId=${applyIdx}`);
      expect(applicationAudit.map((a) => a.action)).toEqual([
        'micro-channel.application.approve',
        'micro-channel.application.create',
      ]);
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

  const OK = { ERRORCODE: '0', RESULT: 'ok!' };
  const badParam = (param: string) => ({ ERRORCODE: 'ME01023', RESULT: `${param} is error!` });
  const NO_CHANNEL = { ERRORCODE: 'ME18109', RESULT: 'channel number is error' };
  const NOT_MANAGER = { ERRORCODE: 'ME18306', RESULT: 'you are not manager' };
  const ALREADY = { ERRORCODE: 'ME18104', RESULT: 'current user channel already exist' };

  async function countRows(table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
    const rows = await t.dataSource.query<Array<{ n: string | number }>>(
      `SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`,
      params,
    );
    return Number(rows[0].n);
  }

  async function liveName(number: string): Promise<string> {
    const res = await micro.info(w.owner, number);
    return (res.RESULT as { channelName: string }).channelName;
  }

  describe('recheckMicroChannel errors', () => {
    let editA: string;
    let editB: string;
    beforeEach(async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMerr001');
      await micro.liveChannel(w.other, w.reviewer, 'FMerr002');
      editA = await micro.modifyOk(w.owner, 'FMerr001', { channelName: '新的名字' });
      editB = await micro.modifyOk(w.other, 'FMerr002', { channelName: '别的名字' });
    });

    const decideA = (params: Record<string, string>) =>
      micro.decide(w.reviewer, { accountID: w.owner.accountID, channelNumber: 'FMerr001', ...params });

    it('should refuse malformed parameters with ME01023 naming the first bad one, changing nothing', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ infoType: '' }, 'infoType'],
        [{ infoType: '3' }, 'infoType'],
        [{ infoType: '2', channelNumber: 'FMerr001', checkStatus: '2', applyIdx: editA }, 'accountID'],
        [{ infoType: '2', accountID: 'short', channelNumber: 'bad', checkStatus: '2', applyIdx: editA }, 'accountID'],
        [{ infoType: '2', accountID: w.owner.accountID, checkStatus: '2', applyIdx: editA }, 'channelNumber'],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMe01', checkStatus: '2', applyIdx: editA },
          'channelNumber',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: '1FMerr001',
            checkStatus: '2',
            applyIdx: editA,
          },
          'channelNumber',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: 'FM_err001',
            checkStatus: '2',
            applyIdx: editA,
          },
          'channelNumber',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: 'F234567890123456',
            checkStatus: '2',
            applyIdx: editA,
          },
          'channelNumber',
        ],
        [{ infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', applyIdx: editA }, 'checkStatus'],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '5', applyIdx: editA },
          'checkStatus',
        ],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '0', applyIdx: editA },
          'checkStatus',
        ],
        [{ infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '1' }, 'applyIdx'],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '2', applyIdx: '' },
          'applyIdx',
        ],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '2', applyIdx: '0' },
          'applyIdx',
        ],
        [
          { infoType: '2', accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '2', applyIdx: '1.5' },
          'applyIdx',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: 'FMerr001',
            checkStatus: '2',
            applyIdx: `x${editA}`,
          },
          'applyIdx',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: 'FMerr001',
            checkStatus: '2',
            applyIdx: editA,
            checkRemark: '长'.repeat(65),
          },
          'checkRemark',
        ],
        [
          {
            infoType: '2',
            accountID: w.owner.accountID,
            channelNumber: 'FMerr001',
            checkStatus: '1',
            applyIdx: editA,
            checkRemark: 'a\nb',
          },
          'checkRemark',
        ],
        [{ infoType: '1', cityCode: '12345' }, 'cityCode'],
        [{ infoType: '1', cityCode: 'abcdef' }, 'cityCode'],
        [{ infoType: '1', catalogID: '12345' }, 'catalogID'],
        [{ infoType: '1', channelName: '名'.repeat(17) }, 'channelName'],
        [{ infoType: '1', channelName: 'a\tb' }, 'channelName'],
        [{ infoType: '1', channelNumber: 'F234567890123456' }, 'channelNumber'],
        [{ infoType: '1', startPage: '1.5' }, 'startPage'],
        [{ infoType: '1', pageCount: '20x' }, 'pageCount'],
      ];
      for (const [params, param] of cases) {
        const res = await micro.body('recheckMicroChannel', {
          checkAccountID: w.reviewer.accountID,
          accessToken: w.reviewer.accessToken,
          ...params,
        });
        expect({ params, res }).toEqual({ params, res: badParam(param) });
      }
      expect(await editRow(editA)).toMatchObject({ status: 0 });
      expect(await liveName('FMerr001')).toBe('交通之声');
    });

    it('should check the signature and the token of checkAccountID', async () => {
      const base = { infoType: '1', checkAccountID: w.reviewer.accountID };
      expect(await micro.body('recheckMicroChannel', base)).toEqual(badParam('accessToken'));
      expect(await micro.body('recheckMicroChannel', { ...base, accessToken: w.owner.accessToken })).toEqual({
        ERRORCODE: 'ME01003',
        RESULT: 'access token not matched',
      });
      expect(await micro.body('recheckMicroChannel', { infoType: '1', accessToken: w.reviewer.accessToken })).toEqual(
        badParam('checkAccountID'),
      );
      expect(
        await micro.body('recheckMicroChannel', {
          ...base,
          checkAccountID: 'abc',
          accessToken: w.reviewer.accessToken,
        }),
      ).toEqual(badParam('checkAccountID'));
      const badSign = await client.post(
        'recheckMicroChannel',
        { appKey: w.app.appKey, ...base, accessToken: w.reviewer.accessToken, sign: '0'.repeat(40) },
        {},
      );
      expect(badSign.body).toEqual({ ERRORCODE: 'ME01019', RESULT: 'sign is not match' });
      const unknownApp = await client.post(
        'recheckMicroChannel',
        { appKey: '9999999999', ...base, accessToken: w.reviewer.accessToken },
        { secret: w.app.secret },
      );
      expect(unknownApp.body).toEqual({ ERRORCODE: 'ME01002', RESULT: 'appKey error' });
      const token = await client.admin('POST', '/admin/tokens', {
        appKey: w.app.appKey,
        accountID: w.reviewer.accountID,
        ttlSeconds: 1,
      });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await micro.body('recheckMicroChannel', { ...base, accessToken: token.body.accessToken })).toEqual({
        ERRORCODE: 'ME01004',
        RESULT: 'access token expired',
      });
    });

    it('should refuse accounts without the reviewer role with ME18306, changing nothing', async () => {
      expect(await micro.list(w.owner)).toEqual(NOT_MANAGER);
      expect(await micro.list(w.operator)).toEqual(NOT_MANAGER);
      for (const account of [w.owner, w.operator]) {
        for (const checkStatus of ['1', '2']) {
          expect(
            await micro.decide(account, {
              accountID: w.owner.accountID,
              channelNumber: 'FMerr001',
              checkStatus,
              applyIdx: editA,
            }),
          ).toEqual(NOT_MANAGER);
        }
        expect(
          await micro.decide(account, { accountID: w.owner.accountID, channelNumber: 'FMerr001', checkStatus: '3' }),
        ).toEqual(NOT_MANAGER);
      }
      expect(await editRow(editA)).toMatchObject({ status: 0 });
      expect((await micro.info(w.owner, 'FMerr001')).RESULT).toMatchObject({
        channelStatus: '1',
        channelName: '交通之声',
      });
      expect(
        await countRows('audit_log', "action LIKE 'micro-channel.edit.%' AND action <> 'micro-channel.edit.create'"),
      ).toBe(0);
    });

    it('should answer ME18109 for an unknown channel number', async () => {
      for (const checkStatus of ['1', '2', '3', '4']) {
        expect(
          await micro.decide(w.reviewer, {
            accountID: w.owner.accountID,
            channelNumber: 'FMnone01',
            checkStatus,
            applyIdx: editA,
          }),
        ).toEqual(NO_CHANNEL);
      }
    });

    it('should answer ME01023 accountID when accountID is not the channel owner, changing nothing', async () => {
      for (const accountID of [w.other.accountID, 'Zzzzzzzzz9']) {
        for (const checkStatus of ['1', '2', '3', '4']) {
          expect(
            await micro.decide(w.reviewer, { accountID, channelNumber: 'FMerr001', checkStatus, applyIdx: editA }),
          ).toEqual(badParam('accountID'));
        }
      }
      expect(await editRow(editA)).toMatchObject({ status: 0 });
      expect((await micro.info(w.owner, 'FMerr001')).RESULT).toMatchObject({
        channelStatus: '1',
        channelName: '交通之声',
      });
    });

    it('should answer ME01023 applyIdx for an edit of another channel or no edit at all', async () => {
      for (const checkStatus of ['1', '2']) {
        expect(await decideA({ checkStatus, applyIdx: editB })).toEqual(badParam('applyIdx'));
        expect(await decideA({ checkStatus, applyIdx: '987654321' })).toEqual(badParam('applyIdx'));
      }
      expect(await editRow(editB)).toMatchObject({ status: 0 });
      expect(await editRow(editA)).toMatchObject({ status: 0 });
    });

    it('should answer ME18104 for an edit already decided, changing nothing', async () => {
      expect(await decideA({ checkStatus: '1', applyIdx: editA, checkRemark: '第一次' })).toEqual(OK);
      expect(await decideA({ checkStatus: '2', applyIdx: editA })).toEqual(ALREADY);
      expect(await decideA({ checkStatus: '1', applyIdx: editA, checkRemark: '第二次' })).toEqual(ALREADY);
      expect(await editRow(editA)).toMatchObject({ status: 1, check_remark: '第一次' });
      expect(await liveName('FMerr001')).toBe('交通之声');

      const editA2 = await micro.modifyOk(w.owner, 'FMerr001', { channelName: '再改一次' });
      expect(await decideA({ checkStatus: '2', applyIdx: editA2 })).toEqual(OK);
      expect(await decideA({ checkStatus: '1', applyIdx: editA2 })).toEqual(ALREADY);
      expect(await decideA({ checkStatus: '2', applyIdx: editA2 })).toEqual(ALREADY);
      expect(await liveName('FMerr001')).toBe('再改一次');
      expect(await countRows('audit_log', "action = 'micro-channel.edit.approve'")).toBe(1);
    });

    it('should supersede a pending edit with a newer one and answer ME18104 for the old one', async () => {
      const editA2 = await micro.modifyOk(w.owner, 'FMerr001', { channelIntroduction: '第二版介绍' });
      expect(await editRow(editA)).toMatchObject({ status: 3, pending_channel_id: null });
      expect(await decideA({ checkStatus: '2', applyIdx: editA })).toEqual(ALREADY);
      expect(await listIds({ channelNumber: 'FMerr001' })).toEqual({ count: '1', ids: [editA2] });
      // The newer edit replaces the older one: the live content with its own changes only.
      const info = await micro.info(w.owner, 'FMerr001');
      expect(info.RESULT).toMatchObject({
        channelName: '交通之声',
        pendingEdit: { applyIdx: editA2, channelName: '交通之声', channelIntroduction: '第二版介绍' },
      });
      expect((await audit(`entityType=micro-channel-edit&entityId=${editA}`)).map((a) => a.action)).toEqual([
        'micro-channel.edit.supersede',
        'micro-channel.edit.create',
      ]);
    });

    it('should close only an open channel and reopen only a closed one, keeping its pending edit', async () => {
      expect(await decideA({ checkStatus: '4' })).toEqual(badParam('checkStatus'));
      expect(await decideA({ checkStatus: '3', applyIdx: 'ignored' })).toEqual(OK);
      expect(await decideA({ checkStatus: '3' })).toEqual(badParam('checkStatus'));
      expect(await decideA({ checkStatus: '2', applyIdx: editA })).toEqual(NO_CHANNEL);
      expect(await decideA({ checkStatus: '1', applyIdx: editA })).toEqual(NO_CHANNEL);
      expect(await listIds({})).toEqual({ count: '1', ids: [editB] });
      expect(await editRow(editA)).toMatchObject({ status: 0 });
      expect(await decideA({ checkStatus: '4' })).toEqual(OK);
      expect(await decideA({ checkStatus: '4' })).toEqual(badParam('checkStatus'));
      expect(await listIds({})).toEqual({ count: '2', ids: [editA, editB] });
      expect(await countRows('audit_log', "entity_type = 'micro-channel'")).toBe(2);
    });
  });

  describe('applyMicroChannel', () => {
    it('should refuse malformed parameters with ME01023 naming the first bad one, storing nothing', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ channelNumber: '' }, 'channelNumber'],
        [{ channelNumber: 'FM001' }, 'channelNumber'],
        [{ channelNumber: '1FM00001' }, 'channelNumber'],
        [{ channelNumber: 'FM-00001' }, 'channelNumber'],
        [{ channelNumber: 'F234567890123456' }, 'channelNumber'],
        [{ channelNumber: 'FM000001', channelName: '' }, 'channelName'],
        [{ channelName: '名' }, 'channelName'],
        [{ channelName: '名'.repeat(17) }, 'channelName'],
        [{ channelName: '  ' }, 'channelName'],
        [{ channelIntroduction: '介' }, 'channelIntroduction'],
        [{ channelIntroduction: '介'.repeat(129) }, 'channelIntroduction'],
        [{ chiefAnnouncerIntr: '主播主播' }, 'chiefAnnouncerIntr'],
        [{ chiefAnnouncerIntr: '主'.repeat(129) }, 'chiefAnnouncerIntr'],
        [{ channelCityCode: '' }, 'channelCityCode'],
        [{ channelCityCode: '12345' }, 'channelCityCode'],
        [{ channelCityCode: '00' }, 'channelCityCode'],
        [{ channelCityCode: '999999' }, 'channelCityCode'],
        [{ channelCatalogID: '12345' }, 'channelCatalogID'],
        [{ channelCatalogID: '999999' }, 'channelCatalogID'],
        [{ channelCatalogID: '200001' }, 'channelCatalogID'],
        [{ channelCatalogUrl: 'ftp://img.example.com/a.png' }, 'channelCatalogUrl'],
        [{ channelCatalogUrl: 'http://img.example.com/a.txt' }, 'channelCatalogUrl'],
        [{ channelCatalogUrl: `http://img.example.com/${'a'.repeat(120)}.png` }, 'channelCatalogUrl'],
        [{ channelKeyWords: 'a,b,c,d,e,f' }, 'channelKeyWords'],
        [{ channelKeyWords: '九个字的关键词汇啊' }, 'channelKeyWords'],
        [{ channelKeyWords: 'a,,b' }, 'channelKeyWords'],
      ];
      for (const [overrides, param] of cases) {
        const res = await micro.apply(w.owner, 'FM000001', overrides);
        expect({ overrides, res }).toEqual({ overrides, res: badParam(param) });
      }
      expect(await countRows('micro_channel_application')).toBe(0);
    });

    it('should accept https logos with upper-case extensions, nationwide channels and absent optional fields', async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMopt001', {
        channelCatalogUrl: 'https://img.example.com/a/LOGO.PNG',
        channelCityCode: '0',
      });
      await micro.liveChannel(w.owner, w.reviewer, 'FMopt002', {
        channelCatalogUrl: '',
        channelKeyWords: '',
        channelCatalogID: SHARED_CATALOG,
      });
      expect((await micro.info(w.owner, 'FMopt001')).RESULT).toMatchObject({
        logoURL: 'https://img.example.com/a/LOGO.PNG',
        cityCode: '0',
        cityName: '全国',
      });
      expect((await micro.info(w.owner, 'FMopt002')).RESULT).toMatchObject({
        logoURL: '',
        keyWords: '',
        catalogID: SHARED_CATALOG,
        catalogName: '音乐',
      });
    });

    it('should refuse a fourth open application with ME18106 and allow it once one is decided', async () => {
      const first = await micro.applyOk(w.owner, 'FMmax001');
      await micro.applyOk(w.owner, 'FMmax002');
      await micro.applyOk(w.owner, 'FMmax003');
      expect(await micro.apply(w.owner, 'FMmax004')).toEqual({ ERRORCODE: 'ME18106', RESULT: 'user channel Maximum' });
      expect(await countRows('micro_channel_application')).toBe(3);
      expect(await micro.checkApply(w.reviewer, first, '1')).toEqual(OK);
      expect((await micro.apply(w.owner, 'FMmax004')).ERRORCODE).toBe('0');
      expect(await micro.apply(w.other, 'FMmax005')).toMatchObject({ ERRORCODE: '0' });
    });

    it('should refuse a number held by a live channel or a pending application, in any case, with ME18104', async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMtaken1');
      expect(await micro.apply(w.other, 'FMtaken1')).toEqual(ALREADY);
      expect(await micro.apply(w.other, 'fmTAKEN1')).toEqual(ALREADY);
      const pending = await micro.applyOk(w.owner, 'FMpend01');
      expect(await micro.apply(w.other, 'FMPEND01')).toEqual(ALREADY);
      expect(await micro.apply(w.owner, 'fmpend01')).toEqual(ALREADY);
      // A rejection frees the number.
      expect(await micro.checkApply(w.reviewer, pending, '1')).toEqual(OK);
      expect((await micro.apply(w.other, 'FMPEND01')).ERRORCODE).toBe('0');
      expect(await countRows('micro_channel_application', 'account_id = ?', [w.other.accountID])).toBe(1);
    });
  });

  describe('checkApplyMicroChannel', () => {
    let applyIdx: string;
    beforeEach(async () => {
      applyIdx = await micro.applyOk(w.owner, 'FMfirst1');
    });

    it('should refuse malformed parameters with ME01023', async () => {
      expect(await micro.checkApply(w.reviewer, '', '2')).toEqual(badParam('applyIdx'));
      expect(await micro.checkApply(w.reviewer, 'abc', '2')).toEqual(badParam('applyIdx'));
      expect(await micro.checkApply(w.reviewer, applyIdx, '3')).toEqual(badParam('checkStatus'));
      expect(await micro.checkApply(w.reviewer, applyIdx, '')).toEqual(badParam('checkStatus'));
      expect(await micro.checkApply(w.reviewer, applyIdx, '2', { checkRemark: 'r'.repeat(65) })).toEqual(
        badParam('checkRemark'),
      );
      expect(await micro.checkApply(w.reviewer, '987654321', '2')).toEqual(badParam('applyIdx'));
      expect(await countRows('micro_channel')).toBe(0);
    });

    it('should refuse accounts without the reviewer role with ME18306', async () => {
      expect(await micro.checkApply(w.owner, applyIdx, '2')).toEqual(NOT_MANAGER);
      expect(await micro.checkApply(w.operator, applyIdx, '1')).toEqual(NOT_MANAGER);
      expect(await countRows('micro_channel_application', 'status = 0')).toBe(1);
    });

    it('should decide an application once: ME18104 afterwards', async () => {
      expect(await micro.checkApply(w.reviewer, applyIdx, '1', { checkRemark: '名字不合适' })).toEqual(OK);
      expect(await micro.checkApply(w.reviewer2, applyIdx, '2')).toEqual(ALREADY);
      expect(await micro.checkApply(w.reviewer2, applyIdx, '1')).toEqual(ALREADY);
      expect(await countRows('micro_channel')).toBe(0);
      expect(await micro.info(w.owner, 'FMfirst1')).toEqual(NO_CHANNEL);
      const [decision] = await audit(`entityType=micro-channel-application&entityId=${applyIdx}`);
      expect(decision).toMatchObject({
        action: 'micro-channel.application.reject',
        actorAccountID: w.reviewer.accountID,
        remark: '名字不合适',
      });

      const second = await micro.applyOk(w.owner, 'FMfirst2');
      expect(await micro.checkApply(w.reviewer, second, '2')).toEqual(OK);
      expect(await micro.checkApply(w.reviewer, second, '2')).toEqual(ALREADY);
      expect(await countRows('micro_channel')).toBe(1);
    });
  });

  describe('modifyMicroChannel and getMicroChannelInfo', () => {
    beforeEach(async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMmod001');
    });

    it('should refuse an edit with nothing to change or malformed fields, filing nothing', async () => {
      expect(await micro.modify(w.owner, 'FMmod001', {})).toEqual(badParam('args'));
      expect(await micro.modify(w.owner, 'FMmod001', { channelName: '', channelKeyWords: '' })).toEqual(
        badParam('args'),
      );
      expect(await micro.modify(w.owner, 'FM', { channelName: '好名字' })).toEqual(badParam('channelNumber'));
      expect(await micro.modify(w.owner, 'FMmod001', { channelName: '名' })).toEqual(badParam('channelName'));
      expect(await micro.modify(w.owner, 'FMmod001', { chiefAnnouncerIntr: '短' })).toEqual(
        badParam('chiefAnnouncerIntr'),
      );
      expect(await micro.modify(w.owner, 'FMmod001', { channelCityCode: '999999' })).toEqual(
        badParam('channelCityCode'),
      );
      expect(await micro.modify(w.owner, 'FMmod001', { channelCatalogID: '200001' })).toEqual(
        badParam('channelCatalogID'),
      );
      expect(await micro.modify(w.owner, 'FMmod001', { channelCatalogUrl: 'http://a.example.com/x.exe' })).toEqual(
        badParam('channelCatalogUrl'),
      );
      expect(await micro.modify(w.owner, 'FMmod001', { channelKeyWords: '1,2,3,4,5,6' })).toEqual(
        badParam('channelKeyWords'),
      );
      expect(await countRows('micro_channel_edit')).toBe(0);
    });

    it('should let only the owner file edits of an existing channel', async () => {
      expect(await micro.modify(w.owner, 'FMnone01', { channelName: '好名字' })).toEqual(NO_CHANNEL);
      expect(await micro.modify(w.other, 'FMmod001', { channelName: '好名字' })).toEqual(NOT_MANAGER);
      expect(await micro.modify(w.reviewer, 'FMmod001', { channelName: '好名字' })).toEqual(NOT_MANAGER);
      expect(await countRows('micro_channel_edit')).toBe(0);
    });

    it('should file every kind of change into one complete proposal', async () => {
      const applyIdx = await micro.modifyOk(w.owner, 'FMmod001', {
        channelName: '新名字',
        channelIntroduction: '新的介绍',
        chiefAnnouncerIntr: '新的主播介绍',
        channelCityCode: '440305',
        channelCatalogID: SHARED_CATALOG,
        channelCatalogUrl: 'https://img.example.com/new.webp',
        channelKeyWords: '新,关键词',
      });
      expect((await micro.info(w.owner, 'FMmod001')).RESULT).toMatchObject({
        pendingEdit: {
          applyIdx,
          channelName: '新名字',
          channelIntroduction: '新的介绍',
          chiefAnnouncerIntr: '新的主播介绍',
          cityCode: '440305',
          cityName: '南山区',
          catalogID: SHARED_CATALOG,
          catalogName: '音乐',
          logoURL: 'https://img.example.com/new.webp',
          keyWords: '新,关键词',
        },
      });
    });

    it('should answer ME18109 for an unknown channel and ME01023 for a malformed number', async () => {
      expect(await micro.info(w.owner, 'FMnone01')).toEqual(NO_CHANNEL);
      expect(await micro.info(w.owner, '12345678')).toEqual(badParam('channelNumber'));
    });
  });

  describe('concurrency', () => {
    let editA: string;
    beforeEach(async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMrace01');
      editA = await micro.modifyOk(w.owner, 'FMrace01', { channelName: '并发的名字' });
    });

    const decideA = (reviewer: typeof w.reviewer, checkStatus: string) =>
      micro.decide(reviewer, { accountID: w.owner.accountID, channelNumber: 'FMrace01', checkStatus, applyIdx: editA });

    it('should decide an edit once when two reviewers approve it at the same time', async () => {
      const answers = await Promise.all([decideA(w.reviewer, '2'), decideA(w.reviewer2, '2')]);
      expect(answers.map((a) => a.ERRORCODE).sort()).toEqual(['0', 'ME18104']);
      expect(await editRow(editA)).toMatchObject({ status: 2 });
      expect(await liveName('FMrace01')).toBe('并发的名字');
      expect(await countRows('audit_log', "action = 'micro-channel.edit.approve'")).toBe(1);
    });

    it('should decide an edit once when one reviewer approves and another rejects at the same time', async () => {
      const [approve, reject] = await Promise.all([decideA(w.reviewer, '2'), decideA(w.reviewer2, '1')]);
      expect([approve.ERRORCODE, reject.ERRORCODE].sort()).toEqual(['0', 'ME18104']);
      const row = await editRow(editA);
      expect(row.status).toBe(approve.ERRORCODE === '0' ? 2 : 1);
      expect(await liveName('FMrace01')).toBe(approve.ERRORCODE === '0' ? '并发的名字' : '交通之声');
      expect(
        await countRows('audit_log', "action IN ('micro-channel.edit.approve', 'micro-channel.edit.reject')"),
      ).toBe(1);
    });

    it('should keep an approval and a newer edit from the owner consistent', async () => {
      const [approve, modify] = await Promise.all([
        decideA(w.reviewer, '2'),
        micro.modify(w.owner, 'FMrace01', { channelIntroduction: '同时提交的修改' }),
      ]);
      expect(modify.ERRORCODE).toBe('0');
      const newer = (modify.RESULT as { applyIdx: string }).applyIdx;
      expect(['0', 'ME18104']).toContain(approve.ERRORCODE);
      expect(await editRow(editA)).toMatchObject({ status: approve.ERRORCODE === '0' ? 2 : 3 });
      expect(await liveName('FMrace01')).toBe(approve.ERRORCODE === '0' ? '并发的名字' : '交通之声');
      expect(await editRow(newer)).toMatchObject({ status: 0 });
      expect(await countRows('micro_channel_edit', 'status = 0')).toBe(1);
    });

    it('should close a channel once under concurrent closes', async () => {
      const close = () =>
        micro.decide(w.reviewer, { accountID: w.owner.accountID, channelNumber: 'FMrace01', checkStatus: '3' });
      const answers = await Promise.all([close(), close(), close()]);
      expect(answers.map((a) => a.ERRORCODE).sort()).toEqual(['0', 'ME01023', 'ME01023']);
      expect(await countRows('audit_log', "action = 'micro-channel.close'")).toBe(1);
    });

    it('should hold the open-application limit under concurrent applies', async () => {
      const answers = await Promise.all(
        ['FMcon001', 'FMcon002', 'FMcon003', 'FMcon004', 'FMcon005', 'FMcon006'].map((n) => micro.apply(w.other, n)),
      );
      expect(answers.map((a) => a.ERRORCODE).sort()).toEqual(['0', '0', '0', 'ME18106', 'ME18106', 'ME18106']);
      expect(await countRows('micro_channel_application', 'account_id = ? AND status = 0', [w.other.accountID])).toBe(
        3,
      );
    });

    it('should give a number to one of several concurrent applicants', async () => {
      const answers = await Promise.all([
        micro.apply(w.owner, 'FMsame01'),
        micro.apply(w.other, 'fmSAME01'),
        micro.apply(w.operator, 'FMSAME01'),
      ]);
      expect(answers.map((a) => a.ERRORCODE).sort()).toEqual(['0', 'ME18104', 'ME18104']);
      expect(await countRows('micro_channel_application', 'pending_number_key = ?', ['fmsame01'])).toBe(1);
    });

    it('should create one live channel when an application is approved twice at once', async () => {
      const applyIdx = await micro.applyOk(w.other, 'FMtwice01');
      const answers = await Promise.all([
        micro.checkApply(w.reviewer, applyIdx, '2'),
        micro.checkApply(w.reviewer2, applyIdx, '2'),
      ]);
      expect(answers.map((a) => a.ERRORCODE).sort()).toEqual(['0', 'ME18104']);
      expect(await countRows('micro_channel', 'number_key = ?', ['fmtwice01'])).toBe(1);
    });
  });

  describe('reviewer console (admin API)', () => {
    let editA: string;
    beforeEach(async () => {
      await micro.liveChannel(w.owner, w.reviewer, 'FMadm001');
      await micro.liveChannel(w.other, w.reviewer, 'FMadm002', { channelCatalogID: SHARED_CATALOG });
      editA = await micro.modifyOk(w.owner, 'FMadm001', { channelName: '后台审核' });
      await micro.modifyOk(w.other, 'FMadm002', { channelIntroduction: '第二个频道的修改' });
    });

    it('should require the admin token', async () => {
      expect((await client.admin('GET', '/admin/micro-channel-edits', undefined, null)).status).toBe(401);
      expect(
        (await client.admin('GET', '/admin/micro-channel-edits', undefined, 'wrong-token-0123456789')).status,
      ).toBe(401);
      expect((await client.admin('GET', `/admin/micro-channel-edits/${editA}`, undefined, null)).status).toBe(401);
      const decision = await client.admin(
        'POST',
        `/admin/micro-channel-edits/${editA}/decision`,
        { checkStatus: 2, reviewerAccountID: w.reviewer.accountID },
        null,
      );
      expect(decision.status).toBe(401);
      expect(await editRow(editA)).toMatchObject({ status: 0 });
    });

    it('should list pending edits with the filters and paging of recheckMicroChannel', async () => {
      const all = await client.admin('GET', '/admin/micro-channel-edits');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: 2, startPage: 1, pageCount: 20 });
      expect(all.body.items[0]).toEqual({
        applyIdx: editA,
        channelNumber: 'FMadm001',
        accountID: w.owner.accountID,
        channelName: '后台审核',
        channelIntroduction: '每天早晚的路况播报',
        chiefAnnouncerIntr: '主播是二十年的老司机',
        cityCode: '110000',
        cityName: '北京市',
        catalogID: MICRO_CATALOG,
        catalogName: '交通',
        logoURL: 'http://img.example.com/logo/fm.png',
        keyWords: '路况,交通',
        status: 'pending',
        reviewerAccountID: null,
        reviewedAt: null,
        checkRemark: '',
        voiceURL: null,
        createdAt: expect.any(Number),
      });
      const filtered = await client.admin(
        'GET',
        `/admin/micro-channel-edits?channelNumber=adm002&catalogID=${SHARED_CATALOG}`,
      );
      expect(filtered.body).toMatchObject({ total: 1, items: [{ channelNumber: 'FMadm002' }] });
      const byName = await client.admin('GET', `/admin/micro-channel-edits?channelName=${encodeURIComponent('后台')}`);
      expect(byName.body).toMatchObject({ total: 1, items: [{ applyIdx: editA }] });
      const paged = await client.admin('GET', '/admin/micro-channel-edits?pageCount=1&startPage=2');
      expect(paged.body).toMatchObject({
        total: 2,
        startPage: 2,
        pageCount: 1,
        items: [{ channelNumber: 'FMadm002' }],
      });
      const past = await client.admin('GET', '/admin/micro-channel-edits?pageCount=499&startPage=3');
      expect(past.body).toEqual({ total: 2, startPage: 3, pageCount: 499, items: [] });
      for (const [query, field] of [
        ['pageCount=500', 'pageCount'],
        ['pageCount=0', 'pageCount'],
        ['startPage=0', 'startPage'],
        ['cityCode=abc', 'cityCode'],
        ['catalogID=1', 'catalogID'],
      ]) {
        const res = await client.admin('GET', `/admin/micro-channel-edits?${query}`);
        expect({ query, status: res.status, errors: Object.keys(res.body.errors ?? {}) }).toEqual({
          query,
          status: 400,
          errors: [field],
        });
      }
    });

    it('should show one edit beside its live channel with what it changes', async () => {
      const res = await client.admin('GET', `/admin/micro-channel-edits/${editA}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        edit: { applyIdx: editA, channelName: '后台审核', status: 'pending' },
        channel: {
          channelNumber: 'FMadm001',
          channelName: '交通之声',
          status: 'open',
          voiceURL: expect.stringMatching(/\.amr$/),
        },
        changes: ['channelName'],
      });
      expect((await client.admin('GET', '/admin/micro-channel-edits/987654321')).status).toBe(404);
      expect((await client.admin('GET', '/admin/micro-channel-edits/abc')).status).toBe(400);
    });

    it('should refuse bad decisions with 400, 403 and 404, changing nothing', async () => {
      const decide = (id: string, body: unknown) =>
        client.admin('POST', `/admin/micro-channel-edits/${id}/decision`, body);
      const invalid: Array<[unknown, string]> = [
        [{ checkStatus: 2 }, 'reviewerAccountID'],
        [{ checkStatus: 3, reviewerAccountID: w.reviewer.accountID }, 'checkStatus'],
        [{ checkStatus: '2', reviewerAccountID: w.reviewer.accountID }, 'checkStatus'],
        [{ checkStatus: 1, checkRemark: 'r'.repeat(65), reviewerAccountID: w.reviewer.accountID }, 'checkRemark'],
        [{ checkStatus: 1, reviewerAccountID: 'bad' }, 'reviewerAccountID'],
      ];
      for (const [body, field] of invalid) {
        const res = await decide(editA, body);
        expect({ body, status: res.status, errors: Object.keys(res.body.errors ?? {}) }).toEqual({
          body,
          status: 400,
          errors: [field],
        });
      }
      const notReviewer = await decide(editA, { checkStatus: 2, reviewerAccountID: w.operator.accountID });
      expect(notReviewer.status).toBe(403);
      expect(notReviewer.body.errors).toEqual({ reviewerAccountID: 'lacks the reviewer role' });
      expect((await decide(editA, { checkStatus: 2, reviewerAccountID: 'Nobody0001' })).status).toBe(403);
      expect((await decide('987654321', { checkStatus: 2, reviewerAccountID: w.reviewer.accountID })).status).toBe(404);
      expect((await decide('0', { checkStatus: 2, reviewerAccountID: w.reviewer.accountID })).status).toBe(400);
      expect(await editRow(editA)).toMatchObject({ status: 0 });
    });

    it('should approve and reject through the same rules as recheckMicroChannel', async () => {
      const approved = await client.admin('POST', `/admin/micro-channel-edits/${editA}/decision`, {
        checkStatus: 2,
        checkRemark: '后台通过',
        reviewerAccountID: w.reviewer.accountID,
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        edit: {
          applyIdx: editA,
          status: 'approved',
          reviewerAccountID: w.reviewer.accountID,
          checkRemark: '后台通过',
          reviewedAt: expect.any(Number),
        },
        channel: { channelName: '后台审核', status: 'open' },
        changes: [],
      });
      await expectVoice(approved.body.channel.voiceURL);
      expect(approved.body.edit.voiceURL).toBe(approved.body.channel.voiceURL);
      expect(await liveName('FMadm001')).toBe('后台审核');
      const again = await client.admin('POST', `/admin/micro-channel-edits/${editA}/decision`, {
        checkStatus: 1,
        reviewerAccountID: w.reviewer2.accountID,
      });
      expect(again.status).toBe(409);
      // The partner route sees the same state.
      expect(
        await micro.decide(w.reviewer, {
          accountID: w.owner.accountID,
          channelNumber: 'FMadm001',
          checkStatus: '1',
          applyIdx: editA,
        }),
      ).toEqual(ALREADY);
      const [row] = await audit(`entityType=micro-channel-edit&entityId=${editA}`);
      expect(row).toMatchObject({
        action: 'micro-channel.edit.approve',
        actorAccountID: w.reviewer.accountID,
        appKey: null,
        remark: '后台通过',
      });

      const editB = await micro.modifyOk(w.owner, 'FMadm001', { channelName: '再次修改' });
      const rejected = await client.admin('POST', `/admin/micro-channel-edits/${editB}/decision`, {
        checkStatus: 1,
        reviewerAccountID: w.reviewer2.accountID,
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        edit: { status: 'rejected', reviewerAccountID: w.reviewer2.accountID, voiceURL: null },
        channel: { channelName: '后台审核' },
      });
      expect(await liveName('FMadm001')).toBe('后台审核');
    });

    it('should answer 409 for an edit of a closed channel', async () => {
      expect(
        await micro.decide(w.reviewer, { accountID: w.owner.accountID, channelNumber: 'FMadm001', checkStatus: '3' }),
      ).toEqual(OK);
      const res = await client.admin('POST', `/admin/micro-channel-edits/${editA}/decision`, {
        checkStatus: 2,
        reviewerAccountID: w.reviewer.accountID,
      });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual({ applyIdx: 'channel is closed' });
      expect(await editRow(editA)).toMatchObject({ status: 0 });
    });

    it('should decide once when the console and the partner route decide at the same time', async () => {
      const [viaConsole, viaPartner] = await Promise.all([
        client.admin('POST', `/admin/micro-channel-edits/${editA}/decision`, {
          checkStatus: 2,
          reviewerAccountID: w.reviewer.accountID,
        }),
        micro.decide(w.reviewer2, {
          accountID: w.owner.accountID,
          channelNumber: 'FMadm001',
          checkStatus: '2',
          applyIdx: editA,
        }),
      ]);
      expect(['200/ME18104', '409/0']).toContain(`${viaConsole.status}/${viaPartner.ERRORCODE}`);
      expect(await countRows('audit_log', "action = 'micro-channel.edit.approve'")).toBe(1);
    });
  });
});
