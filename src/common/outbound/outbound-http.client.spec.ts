import { LookupAddress } from 'node:dns';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, loadConfig } from '../../config/configuration';
import { OutboundError, OutboundHttpClient } from './outbound-http.client';

interface Seen {
  method: string;
  url: string;
  host: string;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server standing in for the outside world; records every request it gets. */
async function startServer(
  routes: Record<string, Handler>,
): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host ?? '',
        body: Buffer.concat(chunks).toString(),
      });
      const handler = routes[(req.url ?? '').split('?')[0]];
      if (handler) {
        handler(req, res);
      } else {
        res.statusCode = 404;
        res.end('no route');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function config(overrides: Record<string, string>): AppConfig {
  return loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'false', OUTBOUND_ALLOWED_HOSTS: '', ...overrides });
}

/** The client with DNS answered from a table, so names can point anywhere without a real resolver. */
class TableDnsClient extends OutboundHttpClient {
  constructor(
    config: AppConfig,
    private readonly table: Record<string, LookupAddress[]>,
  ) {
    super(config);
  }

  protected override resolve(hostname: string): Promise<LookupAddress[]> {
    const answers = this.table[hostname];
    return answers
      ? Promise.resolve(answers)
      : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
  }
}

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OutboundError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('OutboundHttpClient', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  const get = { timeoutMs: 2000, maxBytes: 1024 };

  beforeAll(async () => {
    server = await startServer({
      '/ok': (_req, res) => res.end('hello'),
      '/post': (req, res) => res.end(`${req.method} ${req.headers['content-type']}`),
      '/to-local-name': (_req, res) => {
        res.writeHead(302, { Location: `http://localhost:${server.port}/ok` });
        res.end();
      },
      '/to-metadata': (_req, res) => {
        res.writeHead(301, { Location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      },
      '/to-ftp': (_req, res) => {
        res.writeHead(302, { Location: 'ftp://example.com/file' });
        res.end();
      },
      '/relative': (_req, res) => {
        res.writeHead(302, { Location: '/ok' });
        res.end();
      },
      '/loop': (_req, res) => {
        res.writeHead(302, { Location: '/loop' });
        res.end();
      },
      '/see-other': (_req, res) => {
        res.writeHead(303, { Location: '/post' });
        res.end();
      },
      '/declared-big': (_req, res) => {
        res.writeHead(200, { 'Content-Length': '5000' });
        res.end(Buffer.alloc(5000));
      },
      '/chunked-big': (_req, res) => {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) {
          res.write(Buffer.alloc(200));
        }
        res.end();
      },
      '/exact': (_req, res) => res.end(Buffer.alloc(1024, 1)),
      '/hang': () => undefined,
      '/dribble': (_req, res) => {
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(timer));
      },
    });
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(() => server.close());

  describe('schemes and URLs', () => {
    const client = new OutboundHttpClient(config({ OUTBOUND_ALLOW_PRIVATE: 'true' }));

    it.each([
      'ftp://example.com/a.amr',
      'file:///etc/passwd',
      'gopher://example.com/',
      'data:text/plain,hi',
      'javascript:alert(1)',
    ])('should refuse the scheme of %s', async (url) => {
      const err = await failure(client.request(url, get));
      expect(err.kind).toBe('scheme');
      expect(err.permanent).toBe(true);
    });

    it('should refuse something that is not a URL', async () => {
      expect((await failure(client.request('not a url', get))).kind).toBe('bad-url');
    });
  });

  describe('private destinations refused', () => {
    const client = new OutboundHttpClient(config({}));

    it.each([
      ['loopback literal', () => `http://127.0.0.1:${server.port}/ok`],
      ['loopback name', () => `http://localhost:${server.port}/ok`],
      ['IPv6 loopback', () => `http://[::1]:${server.port}/ok`],
      ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${server.port}/ok`],
      ['decimal IPv4 form', () => `http://2130706433:${server.port}/ok`],
      ['hex IPv4 form', () => `http://0x7f.0.0.1:${server.port}/ok`],
      ['unspecified address', () => `http://0.0.0.0:${server.port}/ok`],
      ['metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
      ['private address', () => 'http://192.168.1.6/group3/a.amr'],
      ['CGNAT address', () => 'http://100.64.1.1/a.amr'],
    ])('should refuse a %s without connecting', async (_name, url) => {
      const before = server.seen.length;
      const err = await failure(client.request(url(), get));
      expect(err.kind).toBe('refused');
      expect(err.permanent).toBe(true);
      expect(server.seen.length).toBe(before);
    });

    it('should name the address and its class in the refusal', async () => {
      const err = await failure(client.request(`http://localhost:${server.port}/ok`, get));
      expect(err.message).toMatch(/localhost is (127\.0\.0\.1|::1), a loopback address/);
    });
  });

  describe('allowed hosts', () => {
    it('should reach a private address when its host is in OUTBOUND_ALLOWED_HOSTS', async () => {
      const client = new OutboundHttpClient(config({ OUTBOUND_ALLOWED_HOSTS: 'other.example, 127.0.0.1' }));
      const res = await client.request(`${base}/ok`, get);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('hello');
    });

    it('should reach any private address when OUTBOUND_ALLOW_PRIVATE is true', async () => {
      const client = new OutboundHttpClient(config({ OUTBOUND_ALLOW_PRIVATE: 'true' }));
      const res = await client.request(`http://localhost:${server.port}/ok`, get);
      expect(res.body.toString()).toBe('hello');
    });

    it('should match allowed host names case-insensitively and ignore a trailing dot', async () => {
      const client = new TableDnsClient(config({ OUTBOUND_ALLOWED_HOSTS: 'Media.Example' }), {
        'media.example.': [{ address: '127.0.0.1', family: 4 }],
        'media.example': [{ address: '127.0.0.1', family: 4 }],
      });
      const res = await client.request(`http://MEDIA.example.:${server.port}/ok`, get);
      expect(res.body.toString()).toBe('hello');
    });
  });

  describe('name resolution', () => {
    it('should connect to the address its own lookup returned and send the original Host header', async () => {
      const client = new TableDnsClient(config({ OUTBOUND_ALLOWED_HOSTS: 'svc.example' }), {
        'svc.example': [{ address: '127.0.0.1', family: 4 }],
      });
      const res = await client.request(`http://svc.example:${server.port}/ok`, get);
      expect(res.body.toString()).toBe('hello');
      expect(server.seen[server.seen.length - 1].host).toBe(`svc.example:${server.port}`);
    });

    it('should refuse a name that resolves to a private address', async () => {
      const client = new TableDnsClient(config({}), { 'evil.example': [{ address: '10.0.0.5', family: 4 }] });
      const err = await failure(client.request('http://evil.example/a.amr', get));
      expect(err.kind).toBe('refused');
      expect(err.message).toContain('10.0.0.5, a private address');
    });

    it('should refuse a name when any one of its addresses is not public', async () => {
      const client = new TableDnsClient(config({}), {
        'mixed.example': [
          { address: '93.184.216.34', family: 4 },
          { address: '::ffff:127.0.0.1', family: 6 },
        ],
      });
      const err = await failure(client.request(`http://mixed.example:${server.port}/ok`, get));
      expect(err.kind).toBe('refused');
      expect(err.message).toContain('loopback');
    });

    it('should report a name that does not resolve as a dns failure, which may be retried', async () => {
      const client = new TableDnsClient(config({}), {});
      const err = await failure(client.request('http://nowhere.example/', get));
      expect(err.kind).toBe('dns');
      expect(err.permanent).toBe(false);
    });
  });

  describe('assertAllowed (a URL stored now, called later)', () => {
    const table = {
      'public.example': [{ address: '93.184.216.34', family: 4 }],
      'mixed.example': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    };

    it('should pass a name whose every address is public, without calling it', async () => {
      const client = new TableDnsClient(config({}), table);
      await expect(client.assertAllowed('https://public.example/hook')).resolves.toBeUndefined();
    });

    it.each([
      ['http://mixed.example/hook', 'refused', 'private'],
      ['http://127.0.0.1:9/hook', 'refused', 'loopback'],
      ['http://[fd00::1]/hook', 'refused', 'private'],
      ['ftp://public.example/hook', 'scheme', 'ftp'],
      ['http://nowhere.example/hook', 'dns', 'nowhere.example'],
    ])('should refuse %s as %s', async (url, kind, text) => {
      const client = new TableDnsClient(config({}), table);
      const err = await failure(client.assertAllowed(url));
      expect(err.kind).toBe(kind);
      expect(err.message).toContain(text);
    });

    it('should pass private addresses of allowed hosts, and everything with OUTBOUND_ALLOW_PRIVATE', async () => {
      await expect(
        new TableDnsClient(config({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }), {}).assertAllowed('http://127.0.0.1:9/'),
      ).resolves.toBeUndefined();
      await expect(
        new TableDnsClient(config({ OUTBOUND_ALLOW_PRIVATE: 'true' }), table).assertAllowed('http://mixed.example/'),
      ).resolves.toBeUndefined();
    });
  });

  describe('redirects', () => {
    const client = new OutboundHttpClient(config({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }));

    it('should follow a redirect within allowed destinations', async () => {
      const res = await client.request(`${base}/relative`, { ...get, maxRedirects: 3 });
      expect(res.body.toString()).toBe('hello');
      expect(res.url).toBe(`${base}/ok`);
    });

    it('should not follow a redirect to a name that resolves to a refused address', async () => {
      const before = server.seen.length;
      const err = await failure(client.request(`${base}/to-local-name`, { ...get, maxRedirects: 3 }));
      expect(err.kind).toBe('refused');
      expect(server.seen.slice(before).map((s) => s.url)).toEqual(['/to-local-name']);
    });

    it('should not follow a redirect to a metadata address', async () => {
      expect((await failure(client.request(`${base}/to-metadata`, { ...get, maxRedirects: 3 }))).kind).toBe('refused');
    });

    it('should not follow a redirect to another scheme', async () => {
      expect((await failure(client.request(`${base}/to-ftp`, { ...get, maxRedirects: 3 }))).kind).toBe('scheme');
    });

    it('should stop after the allowed number of redirects', async () => {
      const before = server.seen.length;
      const err = await failure(client.request(`${base}/loop`, { ...get, maxRedirects: 3 }));
      expect(err.kind).toBe('redirect');
      expect(server.seen.length - before).toBe(4);
    });

    it('should hand back the 3xx itself when redirects are not followed', async () => {
      const res = await client.request(`${base}/relative`, get);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/ok');
    });

    it('should continue a POST answered with 303 as a GET without the body', async () => {
      const res = await client.request(`${base}/see-other`, {
        ...get,
        method: 'POST',
        body: 'a=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        maxRedirects: 1,
      });
      expect(res.body.toString()).toBe('GET undefined');
      expect(server.seen[server.seen.length - 1].body).toBe('');
    });
  });

  describe('limits', () => {
    const client = new OutboundHttpClient(config({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }));

    it('should refuse a response whose declared length exceeds the cap', async () => {
      expect((await failure(client.request(`${base}/declared-big`, get))).kind).toBe('too-large');
    });

    it('should stop reading a streamed response once it passes the cap', async () => {
      expect((await failure(client.request(`${base}/chunked-big`, get))).kind).toBe('too-large');
    });

    it('should accept a response of exactly the cap', async () => {
      const res = await client.request(`${base}/exact`, get);
      expect(res.body.length).toBe(1024);
    });

    it('should give up on a server that never answers at the deadline', async () => {
      const started = Date.now();
      const err = await failure(client.request(`${base}/hang`, { ...get, timeoutMs: 300 }));
      expect(err.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('should give up on a body that keeps dribbling past the deadline', async () => {
      const started = Date.now();
      const err = await failure(client.request(`${base}/dribble`, { ...get, timeoutMs: 400 }));
      expect(err.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1200);
    });

    it('should report a refused connection as a network failure', async () => {
      const closed = await startServer({});
      const port = closed.port;
      await closed.close();
      const err = await failure(client.request(`http://127.0.0.1:${port}/`, get));
      expect(err.kind).toBe('network');
      expect(err.permanent).toBe(false);
    });
  });

  it('should send a POST body with its length and the caller headers', async () => {
    const client = new OutboundHttpClient(config({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }));
    const res = await client.request(`${base}/post?keep=1`, {
      ...get,
      method: 'POST',
      body: 'x=%E4%BD%A0',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.body.toString()).toBe('POST application/x-www-form-urlencoded');
    const last = server.seen[server.seen.length - 1];
    expect(last.url).toBe('/post?keep=1');
    expect(last.body).toBe('x=%E4%BD%A0');
  });
});
