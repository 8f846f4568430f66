import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * How the stand-in remote TTS service answers the next requests:
 * ok: ERRORCODE 0 and a URL serving a real AMR-NB clip; error: ERRORCODE ME01022;
 * hang: never answers; garbage: a URL serving random bytes; missing: a URL that answers 404.
 */
export type TtsServerMode = 'ok' | 'error' | 'hang' | 'garbage' | 'missing';

export interface TtsRequest {
  at: number;
  method: string;
  path: string;
  contentType: string;
  form: Record<string, string>;
}

export const REAL_CLIP = readFileSync(join(__dirname, '../fixtures/voice/nihao.amr'));
export const TXT2VOICE_PATH = '/dfsapi/v2/txt2voice';

/** The outside world for the http TTS driver: the txt2voice API and the file host, on 127.0.0.1. */
export class TtsServer {
  mode: TtsServerMode = 'ok';
  /** txt2voice calls, in arrival order. */
  readonly requests: TtsRequest[] = [];
  private readonly garbage = randomBytes(3000);

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TtsServer> {
    const server = createServer();
    const tts = new TtsServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void tts.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return tts;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return this.baseUrl + TXT2VOICE_PATH;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const path = (req.url ?? '').split('?')[0];
    if (path.startsWith('/files/')) {
      this.serveFile(path, res);
      return;
    }
    if (path !== TXT2VOICE_PATH) {
      res.writeHead(404).end();
      return;
    }
    this.requests.push({
      at: Date.now(),
      method: req.method ?? '',
      path,
      contentType: req.headers['content-type'] ?? '',
      form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
    });
    const reply = (body: unknown): void => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    switch (this.mode) {
      case 'hang':
        return;
      case 'error':
        reply({ ERRORCODE: 'ME01022', RESULT: 'internal data error!' });
        return;
      default: {
        const file = this.mode === 'ok' ? 'clip' : this.mode;
        reply({
          ERRORCODE: '0',
          RESULT: { url: `${this.baseUrl}/files/${file}.amr`, fileID: file, fileSize: REAL_CLIP.length },
        });
      }
    }
  }

  private serveFile(path: string, res: ServerResponse): void {
    const body = path === '/files/clip.amr' ? REAL_CLIP : path === '/files/garbage.amr' ? this.garbage : null;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'audio/amr', 'Content-Length': body.length }).end(body);
  }
}
