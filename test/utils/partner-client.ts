import { computeSign } from '../../src/common/signature/sign';
import { TEST_ADMIN_TOKEN } from './test-config';

export interface Envelope {
  ERRORCODE: string;
  RESULT: any;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Encodes like a browser form: names and values percent-encoded, spaces as '+'. */
export function urlencode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, '+'))
    .join('&');
}

/** A multipart body exactly as the seed page shows it: CRLF lines, the boundary from Content-Type. */
export function multipart(
  params: Record<string, string>,
  boundary = '----WebKitFormBoundaryDcO1SS14074125403019190MTDfpuu1407412540kkU',
): { body: Buffer; contentType: string } {
  const parts = Object.entries(params).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return {
    body: Buffer.from(parts.join('') + `--${boundary}--\r\n`, 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export interface PostOptions {
  /** Signs with this secret unless `params.sign` is already given. */
  secret?: string;
  multipart?: boolean;
}

/** Real HTTP against a running service, with real signatures. */
export class PartnerClient {
  constructor(readonly baseUrl: string) {}

  signed(params: Record<string, string>, secret: string): Record<string, string> {
    return params.sign === undefined ? { ...params, sign: computeSign(params, secret) } : params;
  }

  async post(route: string, params: Record<string, string>, options: PostOptions = {}): Promise<HttpAnswer<Envelope>> {
    const finalParams = options.secret ? this.signed(params, options.secret) : params;
    let body: string | Buffer;
    let contentType: string;
    if (options.multipart) {
      ({ body, contentType } = multipart(finalParams));
    } else {
      body = urlencode(finalParams);
      contentType = 'application/x-www-form-urlencoded';
    }
    return this.raw(`/clientcustom/v2/${route}`, { method: 'POST', body, headers: { 'Content-Type': contentType } });
  }

  async raw<T = Envelope>(path: string, init: RequestInit & { body?: string | Buffer }): Promise<HttpAnswer<T>> {
    const res = await fetch(this.baseUrl + path, init);
    const text = await res.text();
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = text as unknown as T;
    }
    return { status: res.status, headers: res.headers, body, text };
  }

  async admin<T = any>(
    method: string,
    path: string,
    json?: unknown,
    token: string | null = TEST_ADMIN_TOKEN,
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = {};
    if (token !== null) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return this.raw<T>(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  }
}
