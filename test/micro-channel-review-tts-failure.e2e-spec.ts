import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { MicroClient, MicroWorld, provisionMicroWorld } from './utils/micro-channel-client';
import { PartnerClient } from './utils/partner-client';

type FakeTtsMode = 'ok' | 'http-500' | 'error-code' | 'hang';

/** 50 MR122 frames of silence: a whole AMR-NB file, as a working TTS service would return. */
const AMR_CLIP = Buffer.concat([
  Buffer.from('#!AMR\n', 'ascii'),
  ...Array.from({ length: 50 }, () => Buffer.concat([Buffer.from([0x3c]), Buffer.alloc(31)])),
]);

/**
 * The remote TTS service (ORIGINAL-BEHAVIOUR 4.10) on loopback: it answers txt2voice with the URL of
 * a clip it serves, or fails as told: HTTP 500, a non-zero ERRORCODE, or no answer at all.
 */
class FakeTtsService {
  mode: FakeTtsMode = 'ok';
  synthesisRequests = 0;
  private readonly held: ServerResponse[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/dfsapi/v2/txt2voice`;
  }

  /** Answers every held (hanging) request successfully, as a late TTS service would. */
  releaseHeld(): void {
    for (const res of this.held.splice(0)) {
      this.answerOk(res);
    }
  }

  async stop(): Promise<void> {
    for (const res of this.held.splice(0)) {
      res.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/clip.amr') {
      res.writeHead(200, { 'Content-Type': 'audio/amr', 'Content-Length': AMR_CLIP.length });
      res.end(AMR_CLIP);
      return;
    }
    req.resume();
    this.synthesisRequests++;
    switch (this.mode) {
      case 'ok':
        this.answerOk(res);
        return;
      case 'http-500':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('internal error');
        return;
      case 'error-code':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ERRORCODE: 'ME01022', RESULT: 'internal data error!' }));
        return;
      case 'hang':
        this.held.push(res);
        return;
    }
  }

  private answerOk(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        ERRORCODE: '0',
        RESULT: { url: `http://127.0.0.1:${this.port}/clip.amr`, fileID: 'f1', fileSize: AMR_CLIP.length },
      }),
    );
  }
}

const ME18307 = { ERRORCODE: 'ME18307', RESULT: 'txt2voice failed!' };
const OK = { ERRORCODE: '0', RESULT: 'ok!' };

function ttsEnv(tts: FakeTtsService, timeoutMs: number): Record<string, string> {
  return {
    TTS_DRIVER: 'http',
    TTS_HTTP_URL: tts.url,
    TTS_APP_KEY: '1234567890',
    TTS_APP_SECRET: 'TTS-TEST-SECRET',
    TTS_TIMEOUT_MS: String(timeoutMs),
  };
}

/** What re-review may change: the edit's row and the live channel's content and voice. */
async function snapshot(t: TestApp, number: string): Promise<unknown> {
  const [channel] = await t.dataSource.query<unknown[]>(
    'SELECT channel_name, introduction, city_code, voice_url, voice_clip_id, status, updated_at FROM micro_channel WHERE number_key = ?',
    [number.toLowerCase()],
  );
  const edits = await t.dataSource.query<unknown[]>(
    'SELECT e.id, e.status, e.pending_channel_id, e.reviewer_account_id, e.check_remark, e.voice_url FROM micro_channel_edit e ' +
      'JOIN micro_channel c ON c.id = e.channel_id WHERE c.number_key = ? ORDER BY e.id',
    [number.toLowerCase()],
  );
  const decisions = await t.dataSource.query<unknown[]>(
    "SELECT action, entity_id FROM audit_log WHERE action IN ('micro-channel.edit.approve', 'micro-channel.edit.reject') ORDER BY id",
  );
  return { channel, edits, decisions };
}

describe('micro channel review when speech synthesis fails (e2e, http TTS driver)', () => {
  const tts = new FakeTtsService();
  let t: TestApp;
  let client: PartnerClient;
  let micro: MicroClient;
  let w: MicroWorld;

  beforeAll(async () => {
    await tts.start();
    t = await createTestApp(ttsEnv(tts, 2000));
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(async () => {
    tts.releaseHeld();
    await t.close();
    await tts.stop();
  });
  beforeEach(async () => {
    tts.mode = 'ok';
    await resetState(t);
    w = await provisionMicroWorld(client);
    micro = new MicroClient(client, w.app);
  });

  const approveEdit = (applyIdx: string) =>
    micro.decide(w.reviewer, { accountID: w.owner.accountID, channelNumber: 'FMtts001', checkStatus: '2', applyIdx });

  it('should answer ME18307 and change nothing when the TTS service fails during re-review', async () => {
    await micro.liveChannel(w.owner, w.reviewer, 'FMtts001');
    const applyIdx = await micro.modifyOk(w.owner, 'FMtts001', { channelName: '失败的新名字' });
    const before = await snapshot(t, 'FMtts001');

    for (const mode of ['http-500', 'error-code'] as const) {
      tts.mode = mode;
      const requests = tts.synthesisRequests;
      expect({ mode, res: await approveEdit(applyIdx) }).toEqual({ mode, res: ME18307 });
      expect(tts.synthesisRequests).toBe(requests + 1);
      expect(await snapshot(t, 'FMtts001')).toEqual(before);
    }
    // The reviewer console follows the same rule.
    const viaConsole = await client.admin('POST', `/admin/micro-channel-edits/${applyIdx}/decision`, {
      checkStatus: 2,
      reviewerAccountID: w.reviewer.accountID,
    });
    expect(viaConsole.status).toBe(502);
    expect(await snapshot(t, 'FMtts001')).toEqual(before);
    expect((await micro.list(w.reviewer)).RESULT).toMatchObject({ count: '1', list: [{ applyIdx }] });

    // Nothing was half-done: once the service works the same edit is approved normally.
    tts.mode = 'ok';
    expect(await approveEdit(applyIdx)).toEqual(OK);
    expect((await micro.info(w.owner, 'FMtts001')).RESULT).toMatchObject({
      channelName: '失败的新名字',
      pendingEdit: null,
    });
  });

  it('should answer ME18307 and create nothing when the TTS service fails at first review', async () => {
    const applyIdx = await micro.applyOk(w.owner, 'FMtts002');
    tts.mode = 'http-500';
    expect(await micro.checkApply(w.reviewer, applyIdx, '2')).toEqual(ME18307);
    const [application] = await t.dataSource.query<
      Array<{ status: number; pending_number_key: string | null; channel_id: string | null }>
    >('SELECT status, pending_number_key, channel_id FROM micro_channel_application WHERE id = ?', [applyIdx]);
    expect(application).toEqual({ status: 0, pending_number_key: 'fmtts002', channel_id: null });
    expect(await t.dataSource.query('SELECT id FROM micro_channel')).toEqual([]);
    expect(await micro.info(w.owner, 'FMtts002')).toEqual({ ERRORCODE: 'ME18109', RESULT: 'channel number is error' });

    tts.mode = 'ok';
    expect(await micro.checkApply(w.reviewer, applyIdx, '2')).toEqual(OK);
    expect((await micro.info(w.owner, 'FMtts002')).RESULT).toMatchObject({ channelStatus: '1' });
  });

  it('should answer ME18307 within TTS_TIMEOUT_MS when the TTS service does not answer', async () => {
    await micro.liveChannel(w.owner, w.reviewer, 'FMtts001');
    const applyIdx = await micro.modifyOk(w.owner, 'FMtts001', { channelName: '没有回应' });
    const before = await snapshot(t, 'FMtts001');
    tts.mode = 'hang';
    const started = Date.now();
    expect(await approveEdit(applyIdx)).toEqual(ME18307);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(4500);
    tts.releaseHeld();
    expect(await snapshot(t, 'FMtts001')).toEqual(before);
  });

  it('should still reject edits and close channels while the TTS service is down', async () => {
    await micro.liveChannel(w.owner, w.reviewer, 'FMtts001');
    const applyIdx = await micro.modifyOk(w.owner, 'FMtts001', { channelName: '会被驳回' });
    tts.mode = 'http-500';
    const requests = tts.synthesisRequests;
    expect(
      await micro.decide(w.reviewer, {
        accountID: w.owner.accountID,
        channelNumber: 'FMtts001',
        checkStatus: '1',
        applyIdx,
        checkRemark: '驳回',
      }),
    ).toEqual(OK);
    expect(
      await micro.decide(w.reviewer, { accountID: w.owner.accountID, channelNumber: 'FMtts001', checkStatus: '3' }),
    ).toEqual(OK);
    expect(tts.synthesisRequests).toBe(requests);
  });
});

describe('micro channel review with a TTS timeout beyond the partner deadline (e2e, http TTS driver)', () => {
  const tts = new FakeTtsService();
  let t: TestApp;
  let client: PartnerClient;
  let micro: MicroClient;
  let w: MicroWorld;

  beforeAll(async () => {
    await tts.start();
    t = await createTestApp(ttsEnv(tts, 10000));
    client = new PartnerClient(t.baseUrl);
  });
  afterAll(async () => {
    tts.releaseHeld();
    await t.close();
    await tts.stop();
  });
  beforeEach(async () => {
    tts.mode = 'ok';
    await resetState(t);
    w = await provisionMicroWorld(client);
    micro = new MicroClient(client, w.app);
  });

  it('should answer ME18307 inside the 5 s partner deadline and never apply the edit afterwards', async () => {
    await micro.liveChannel(w.owner, w.reviewer, 'FMtts003');
    const applyIdx = await micro.modifyOk(w.owner, 'FMtts003', { channelName: '迟到的名字' });
    const before = await snapshot(t, 'FMtts003');
    tts.mode = 'hang';
    const started = Date.now();
    const res = await micro.decide(w.reviewer, {
      accountID: w.owner.accountID,
      channelNumber: 'FMtts003',
      checkStatus: '2',
      applyIdx,
    });
    const elapsed = Date.now() - started;
    expect(res).toEqual(ME18307);
    // Given up at the service's synthesis deadline (deadline minus 1 s), not at TTS_TIMEOUT_MS.
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(4500);

    // The TTS service answers late: the clip may be stored, but the reviewer was told ME18307.
    tts.mode = 'ok';
    tts.releaseHeld();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await snapshot(t, 'FMtts003')).toEqual(before);
    expect((await micro.list(w.reviewer)).RESULT).toMatchObject({ count: '1', list: [{ applyIdx }] });
  });
});
