import http, { IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a fake outside service received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw query string without '?', '' when absent. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body decoded as application/x-www-form-urlencoded, each name once (a repeat throws). */
  form: Record<string, string>;
  /** Date.now() when the request was complete. */
  at: number;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering (a slow service). */
  delayMs?: number;
  /** Send the headers at once, then the body after delayMs (a slow body). */
  slowBody?: boolean;
}

export type FakeHandler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

function parseForm(body: Buffer): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (Object.prototype.hasOwnProperty.call(form, name)) {
      throw new Error(`field ${name} sent twice`);
    }
    form[name] = value;
  }
  return form;
}

/**
 * A small HTTP server on 127.0.0.1 standing in for the outside world (the Weibo service, a media host,
 * a partner's callback endpoint). It records every request and answers what the test's handler says.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    public handler: FakeHandler,
  ) {}

  static async start(handler: FakeHandler = () => ({ status: 200, body: 'ok' })): Promise<FakeHttpServer> {
    const holder: { fake?: FakeHttpServer } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
        let form: Record<string, string>;
        try {
          form = parseForm(body);
        } catch {
          form = { __invalid__: 'repeated field' };
        }
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path,
          query,
          headers: req.headers,
          body,
          form,
          at: Date.now(),
        };
        holder.fake!.requests.push(recorded);
        Promise.resolve(holder.fake!.handler(recorded))
          .then(async (reply) => {
            const status = reply.status ?? 200;
            if (reply.slowBody) {
              res.writeHead(status, reply.headers ?? {});
              res.flushHeaders();
            }
            if (reply.delayMs) {
              await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
            }
            if (res.destroyed) {
              return;
            }
            if (!reply.slowBody) {
              res.writeHead(status, reply.headers ?? {});
            }
            res.end(reply.body ?? '');
          })
          .catch(() => {
            res.statusCode = 500;
            res.end('fake handler failed');
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeHttpServer(server, (server.address() as AddressInfo).port, handler);
    return holder.fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests on one path. */
  on(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(handler?: FakeHandler): void {
    this.requests.length = 0;
    if (handler) {
      this.handler = handler;
    }
  }

  /** Resolves once `count` requests matching `filter` arrived; rejects after timeoutMs. */
  async waitFor(
    count: number,
    filter: (r: RecordedRequest) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.requests.filter(filter);
      if (matching.length >= count) {
        return matching;
      }
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} requests, got ${matching.length} within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** Polls `probe` until it returns a value for which `done` holds; rejects after timeoutMs with the last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (done(last)) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
