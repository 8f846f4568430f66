import { Injectable } from '@nestjs/common';
import { LookupAddress, promises as dns } from 'node:dns';
import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { AppConfig } from '../../config/configuration';
import { AddressClass, classifyAddress } from './address-policy';

export type OutboundFailure =
  'bad-url' | 'scheme' | 'refused' | 'dns' | 'timeout' | 'too-large' | 'redirect' | 'network';

/** An outbound call that did not produce a response. `permanent`: retrying the same URL cannot help. */
export class OutboundError extends Error {
  constructor(
    readonly kind: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }

  get permanent(): boolean {
    return this.kind === 'bad-url' || this.kind === 'scheme' || this.kind === 'refused';
  }
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Deadline for the whole exchange: DNS, connect, every redirect hop and the body. */
  timeoutMs: number;
  /** Largest response body accepted; a bigger one fails with 'too-large'. */
  maxBytes: number;
  /**
   * Redirects followed (each target checked like the first URL). 0: a 3xx is returned as it is.
   * 303, and 301/302 after a POST, continue as GET without the body, as browsers do.
   */
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'channel-service/1 (+outbound)';

/**
 * The one HTTP client for URLs that reach the outside world (partner media, Weibo, partner callbacks).
 *
 * SSRF policy: only http and https; the host's addresses are resolved and every one must be public
 * (see address-policy.ts), unless OUTBOUND_ALLOW_PRIVATE=true or the host is in OUTBOUND_ALLOWED_HOSTS.
 * The check happens inside the socket's `lookup`, so the connection goes to exactly the address that
 * was checked: there is no window for DNS rebinding between the check and the connect. IP-literal
 * hosts (which never go through `lookup`) are checked before the request. Redirects are re-checked
 * hop by hop; time and size are capped.
 */
@Injectable()
export class OutboundHttpClient {
  constructor(private readonly config: AppConfig) {}

  /** POSTs `form` urlencoded, with `extra` headers; a 3xx is returned as it is. */
  postForm(
    url: string,
    form: Record<string, string>,
    limits: Pick<OutboundRequest, 'timeoutMs' | 'maxBytes'>,
    extra: Record<string, string> = {},
  ): Promise<OutboundResponse> {
    return this.request(url, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...extra },
      ...limits,
    });
  }

  async request(url: string, options: OutboundRequest): Promise<OutboundResponse> {
    const deadline = Date.now() + options.timeoutMs;
    const maxRedirects = options.maxRedirects ?? 0;
    let target = this.parse(url);
    let method = options.method ?? 'GET';
    let body = options.body;
    let headers = options.headers ?? {};
    for (let hop = 0; ; hop++) {
      const res = await this.exchange(target, method, headers, body, deadline, options.maxBytes);
      const location = res.headers.location;
      if (maxRedirects === 0 || !REDIRECT_STATUSES.has(res.status) || typeof location !== 'string') {
        return res;
      }
      if (hop >= maxRedirects) {
        throw new OutboundError('redirect', `more than ${maxRedirects} redirects`);
      }
      let next: string;
      try {
        next = new URL(location, target).toString();
      } catch {
        throw new OutboundError('redirect', `unusable redirect location from ${target.host}`);
      }
      target = this.parse(next);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
      }
    }
  }

  /**
   * Checks a URL against the policy without calling it, for URLs stored now and called later (a partner's
   * webhook): the scheme, and every address the host resolves to right now. The call itself is checked
   * again at connect time, since the name may resolve elsewhere by then.
   */
  async assertAllowed(url: string): Promise<void> {
    const target = this.parse(url);
    const host = normalizeHost(target.hostname);
    if (this.isTrustedHost(host)) {
      return;
    }
    const answers: LookupAddress[] = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await this.resolveOrFail(host);
    for (const answer of answers) {
      const kind = classifyAddress(answer.address);
      if (kind !== 'public') {
        throw this.refusal(host, answer.address, kind);
      }
    }
  }

  private async resolveOrFail(host: string): Promise<LookupAddress[]> {
    try {
      return await this.resolve(host);
    } catch (err) {
      throw new OutboundError('dns', `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? ''})`);
    }
  }

  /** True when this host may be reached whatever its addresses are. */
  isTrustedHost(hostname: string): boolean {
    if (this.config.outbound.allowPrivate) {
      return true;
    }
    const host = normalizeHost(hostname);
    return this.config.outbound.allowedHosts.includes(host);
  }

  /** Resolves a host name to all its addresses. Protected so tests can stand in for DNS. */
  protected resolve(hostname: string): Promise<LookupAddress[]> {
    return dns.lookup(hostname, { all: true, verbatim: true });
  }

  private parse(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new OutboundError('bad-url', 'not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new OutboundError('scheme', `scheme ${parsed.protocol} is not allowed`);
    }
    if (parsed.hostname === '') {
      throw new OutboundError('bad-url', 'URL has no host');
    }
    return parsed;
  }

  private refusal(host: string, address: string, kind: AddressClass): OutboundError {
    return new OutboundError('refused', `${host} is ${address === host ? '' : `${address}, `}a ${kind} address`);
  }

  /**
   * The `lookup` every outbound socket uses: resolves through `resolve`, and unless the host is trusted
   * refuses when any answer is not public; then hands back exactly the addresses it checked.
   */
  private guardedLookup(host: string, enforce: boolean): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (answers) => {
          const family = options.family === 4 || options.family === 6 ? options.family : undefined;
          const usable = family ? answers.filter((a) => a.family === family) : answers;
          if (usable.length === 0) {
            callback(new OutboundError('dns', `${host} has no address`), '', 0);
            return;
          }
          // Every address must pass, not just the first: a name answering both a public and a private
          // address would otherwise let the socket (or its happy-eyeballs fallback) reach the private one.
          for (const answer of enforce ? usable : []) {
            const kind = classifyAddress(answer.address);
            if (kind !== 'public') {
              callback(this.refusal(host, answer.address, kind), '', 0);
              return;
            }
          }
          if (options.all) {
            callback(null, usable);
          } else {
            callback(null, usable[0].address, usable[0].family);
          }
        },
        (err: NodeJS.ErrnoException) =>
          callback(new OutboundError('dns', `${host} does not resolve (${err.code ?? err.message})`), '', 0),
      );
    };
  }

  private exchange(
    target: URL,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    deadline: number,
    maxBytes: number,
  ): Promise<OutboundResponse> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      return Promise.reject(new OutboundError('timeout', 'deadline passed'));
    }
    const host = normalizeHost(target.hostname);
    const trusted = this.isTrustedHost(host);
    if (!trusted && isIP(host)) {
      const kind = classifyAddress(host);
      if (kind !== 'public') {
        return Promise.reject(this.refusal(host, host, kind));
      }
    }
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise<OutboundResponse>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          fn();
        }
      };
      const fail = (err: OutboundError): void => {
        settle(() => reject(err));
        req.destroy();
      };
      const timer = setTimeout(
        () => fail(new OutboundError('timeout', 'no complete answer within the deadline')),
        remaining,
      );
      const req = transport.request(
        target,
        {
          method,
          // A fresh connection per request: a pooled socket would outlive the address check it passed.
          agent: false,
          lookup: this.guardedLookup(host, !trusted),
          headers: {
            'User-Agent': USER_AGENT,
            'Accept-Encoding': 'identity',
            Connection: 'close',
            ...headers,
            ...(payload ? { 'Content-Length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            res.resume();
            fail(new OutboundError('too-large', `response of ${declared} bytes exceeds ${maxBytes}`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              fail(new OutboundError('too-large', `response exceeds ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            settle(() =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks),
                url: target.toString(),
              }),
            ),
          );
          res.on('error', (err) => fail(new OutboundError('network', `response broken: ${err.message}`)));
          res.on('close', () => {
            if (!res.complete) {
              fail(new OutboundError('network', 'connection closed before the response was complete'));
            }
          });
        },
      );
      req.on('error', (err) => {
        fail(err instanceof OutboundError ? err : new OutboundError('network', `${target.host}: ${err.message}`));
      });
      req.end(payload);
    });
  }
}

/** Host names compare lowercase, without IPv6 brackets or a trailing dot. */
export function normalizeHost(hostname: string): string {
  return hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}
