import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The partner signature (API.md 3.1): every parameter except `sign`, plus `secret`, sorted by plain
 * byte order of the names, concatenated as name+value, SHA-1 over UTF-8, uppercase hex.
 * Used to verify partner requests and to sign this service's own outbound calls.
 */
export function computeSign(params: Readonly<Record<string, string>>, secret: string): string {
  const entries: Array<[string, string]> = Object.entries(params).filter(
    ([name]) => name !== 'sign' && name !== 'secret',
  );
  entries.push(['secret', secret]);
  entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const text = entries.map(([name, value]) => name + value).join('');
  return createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
}

/** `params` with their `sign` added: a form this service sends, signed as API.md 3.1 says. */
export function signedForm(params: Readonly<Record<string, string>>, secret: string): Record<string, string> {
  return { ...params, sign: computeSign(params, secret) };
}

/** Constant-time comparison of two signatures (or tokens) of any length. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
