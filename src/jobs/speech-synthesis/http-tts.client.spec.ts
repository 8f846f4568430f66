import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { computeSign } from '../../common/signature/sign';
import { HttpTtsClient } from './http-tts.client';
import { TtsError } from './tts.client';

const CLIP = Buffer.concat([Buffer.from('#!AMR\n', 'ascii'), Buffer.alloc(32, 0x3c)]);

/** The remote TTS service and its file host, answering as each test says. */
describe(HttpTtsClient.name, () => {
  let server: Server;
  let base: string;
  let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  let received: Array<{ path: string; body: string }>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ path: req.url ?? '', body });
        answer(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
  });

  const client = (maxAudioBytes?: number): HttpTtsClient =>
    new HttpTtsClient({ url: `${base}/dfsapi/v2/txt2voice`, appKey: '1111111111', appSecret: 'S3CRET', maxAudioBytes });

  function serve(reply: unknown, audio: Buffer | null = CLIP): void {
    answer = (req, res) => {
      if (req.url?.startsWith('/files/')) {
        if (audio) {
          res.writeHead(200, { 'Content-Type': 'audio/amr' }).end(audio);
        } else {
          res.writeHead(404).end();
        }
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(typeof reply === 'string' ? reply : JSON.stringify(reply));
    };
  }

  it('should post appKey, text and the partner signature as a form, then download the audio', async () => {
    serve({ ERRORCODE: '0', RESULT: { url: `${base}/files/a.amr`, fileID: 'a', fileSize: CLIP.length } });
    await expect(client().synthesize('群聊频道 a+b=c&d', 2000)).resolves.toEqual(CLIP);
    const form = Object.fromEntries(new URLSearchParams(received[0].body));
    expect(received[0].path).toBe('/dfsapi/v2/txt2voice');
    expect(form).toEqual({
      appKey: '1111111111',
      text: '群聊频道 a+b=c&d',
      sign: computeSign({ appKey: '1111111111', text: '群聊频道 a+b=c&d' }, 'S3CRET'),
    });
    expect(received[1].path).toBe('/files/a.amr');
  });

  it('should resolve an audio URL given relative to the service', async () => {
    serve({ ERRORCODE: '0', RESULT: { url: '/files/relative.amr' } });
    await expect(client().synthesize('你好', 2000)).resolves.toEqual(CLIP);
    expect(received[1].path).toBe('/files/relative.amr');
  });

  it.each([
    [
      'a non-zero ERRORCODE',
      { ERRORCODE: 'ME01019', RESULT: 'sign is not match' },
      'TTS service answered ERRORCODE "ME01019" ("sign is not match")',
    ],
    [
      'a numeric zero ERRORCODE',
      { ERRORCODE: 0, RESULT: { url: '/files/a.amr' } },
      'TTS service answered ERRORCODE 0 ({"url":"/files/a.amr"})',
    ],
    ['no RESULT.url', { ERRORCODE: '0', RESULT: {} }, 'TTS service answered no RESULT.url'],
    ['a file: URL', { ERRORCODE: '0', RESULT: { url: 'file:///etc/passwd' } }, 'RESULT.url is not http(s): file:'],
    ['a reply that is not JSON', '<html>busy</html>', 'TTS service answered something that is not JSON'],
  ])('should fail on %s', async (_what, reply, message) => {
    serve(reply);
    await expect(client().synthesize('你好', 2000)).rejects.toThrow(new TtsError(`http driver: ${message}`));
  });

  it('should fail on an HTTP error from the service', async () => {
    answer = (_req, res) => res.writeHead(502).end('bad gateway');
    await expect(client().synthesize('你好', 2000)).rejects.toThrow('http driver: TTS service answered HTTP 502');
  });

  it('should fail when the audio is missing', async () => {
    serve({ ERRORCODE: '0', RESULT: { url: '/files/gone.amr' } }, null);
    await expect(client().synthesize('你好', 2000)).rejects.toThrow('http driver: audio download answered HTTP 404');
  });

  it('should fail when the audio is declared larger than allowed', async () => {
    answer = (req, res) => {
      if (req.url?.startsWith('/files/')) {
        res.writeHead(200, { 'Content-Length': 5000 }).end(Buffer.alloc(5000));
        return;
      }
      res.writeHead(200).end(JSON.stringify({ ERRORCODE: '0', RESULT: { url: '/files/big.amr' } }));
    };
    await expect(client(1000).synthesize('你好', 2000)).rejects.toThrow(
      'http driver: audio is 5000 bytes, more than 1000',
    );
  });

  it('should stop reading audio streamed past the limit', async () => {
    serve({ ERRORCODE: '0', RESULT: { url: '/files/big.amr' } }, Buffer.alloc(5000));
    await expect(client(1000).synthesize('你好', 2000)).rejects.toThrow('http driver: audio larger than 1000 bytes');
  });

  it('should give up when the service does not answer in time', async () => {
    answer = () => undefined;
    const started = Date.now();
    await expect(client().synthesize('你好', 300)).rejects.toThrow('http driver: no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('should give up when the audio download does not finish in time', async () => {
    answer = (req, res) => {
      if (req.url?.startsWith('/files/')) {
        res.writeHead(200, { 'Content-Type': 'audio/amr' });
        res.write(CLIP.subarray(0, 10));
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ERRORCODE: '0', RESULT: { url: '/files/slow.amr' } }));
    };
    await expect(client().synthesize('你好', 300)).rejects.toThrow('http driver: no answer within 300 ms');
  });
});
