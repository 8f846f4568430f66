import { createServer } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { parsePartnerBody, parseUrlencoded } from './partner-body.parser';

function request(body: string | Buffer, contentType?: string): IncomingMessage {
  const stream = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  stream.headers = contentType ? { 'content-type': contentType } : {};
  return stream;
}

describe('parseUrlencoded', () => {
  it('should decode names and values, + as space, and keep empty values', () => {
    expect(parseUrlencoded('a=1&b=&c&d=x+y%2Bz&e=%E4%BD%A0%E5%A5%BD').params).toEqual({
      a: '1',
      b: '',
      c: '',
      d: 'x y+z',
      e: '你好',
    });
  });

  it('should record a repeated name as ME01023 naming it', () => {
    const ctx = parseUrlencoded('a=1&b=2&a=3');
    expect(ctx.parseError?.code).toBe('ME01023');
    expect(ctx.parseError?.message).toBe('a is error!');
  });

  it('should record a malformed escape as ME01023 naming the parameter', () => {
    expect(parseUrlencoded('text=%E4%Z').parseError?.message).toBe('text is error!');
  });

  it('should skip empty pairs', () => {
    expect(parseUrlencoded('&&a=1&').params).toEqual({ a: '1' });
  });
});

describe('parsePartnerBody', () => {
  it('should answer ME01024 for an empty body', async () => {
    expect((await parsePartnerBody(request('', 'application/x-www-form-urlencoded'))).parseError?.code).toBe('ME01024');
  });

  it('should parse a body without a content type as urlencoded', async () => {
    expect((await parsePartnerBody(request('a=1'))).params).toEqual({ a: '1' });
  });

  it('should parse multipart text fields and list file parts apart', async () => {
    const body =
      '--B\r\nContent-Disposition: form-data; name="accountID"\r\n\r\n2222222222\r\n' +
      '--B\r\nContent-Disposition: form-data; name="text"\r\n\r\n你好\r\n' +
      '--B\r\nContent-Disposition: form-data; name="voice"; filename="v.amr"\r\n\r\nbinary\r\n--B--\r\n';
    const ctx = await parsePartnerBody(request(body, 'multipart/form-data; boundary=B'));
    expect(ctx.parseError).toBeUndefined();
    expect(ctx.params).toEqual({ accountID: '2222222222', text: '你好' });
    expect(ctx.fileFields).toEqual(['voice']);
  });

  it('should refuse a repeated multipart field', async () => {
    const body =
      '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n--B--\r\n';
    expect((await parsePartnerBody(request(body, 'multipart/form-data; boundary=B'))).parseError?.message).toBe(
      'a is error!',
    );
  });

  it('should refuse a multipart body without a boundary and a JSON body', async () => {
    expect((await parsePartnerBody(request('x', 'multipart/form-data'))).parseError?.message).toBe(
      'Content-Type is error!',
    );
    expect((await parsePartnerBody(request('{}', 'application/json'))).parseError?.message).toBe(
      'Content-Type is error!',
    );
  });

  it('should refuse an oversized urlencoded body', async () => {
    const ctx = await parsePartnerBody(request('a=' + 'x'.repeat(300 * 1024), 'application/x-www-form-urlencoded'));
    expect(ctx.parseError?.message).toBe('args is error!');
  });
});

describe('parsePartnerBody when the client goes away mid-body', () => {
  /** A real server: the parse of the one request it gets, settled or not within a second of the abort. */
  async function parseAbortedRequest(contentType: string, partialBody: string): Promise<string> {
    let parsed: Promise<string> | undefined;
    const server = createServer((req) => {
      parsed = parsePartnerBody(req).then((ctx) => ctx.parseError?.message ?? 'no parse error');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const socket = connect(port, '127.0.0.1');
      socket.write(
        `POST /clientcustom/v2/probe HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: 5000\r\n\r\n${partialBody}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      socket.destroy();
      const pending = new Promise<string>((resolve) => setTimeout(() => resolve('still pending'), 1000));
      return await Promise.race([parsed ?? Promise.resolve('no request'), pending]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('should settle a multipart parse with an error instead of waiting forever', async () => {
    const part = '------X\r\nContent-Disposition: form-data; name="appKey"\r\n\r\n123';
    await expect(parseAbortedRequest('multipart/form-data; boundary=----X', part)).resolves.toBe('args is error!');
  });

  it('should settle a multipart parse without a boundary, keeping its own error', async () => {
    await expect(parseAbortedRequest('multipart/form-data', 'appKey=123')).resolves.toBe('Content-Type is error!');
  });

  it('should settle an urlencoded parse with an error instead of waiting forever', async () => {
    await expect(parseAbortedRequest('application/x-www-form-urlencoded', 'appKey=123&acc')).resolves.toBe(
      'args is error!',
    );
  });
});
