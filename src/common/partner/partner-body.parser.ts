import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PartnerError } from '../errors/partner-error';
import { PartnerContext } from './partner-request';

export const MAX_URLENCODED_BYTES = 256 * 1024;
export const MAX_MULTIPART_BYTES = 4 * 1024 * 1024;
const MAX_FIELDS = 200;

/** Decodes application/x-www-form-urlencoded exactly as partners encode it ('+' is a space). */
export function parseUrlencoded(body: string): PartnerContext {
  const params: Record<string, string> = {};
  const ctx: PartnerContext = { params, fileFields: [] };
  if (body.length === 0) {
    return ctx;
  }
  for (const pair of body.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      ctx.parseError ??= PartnerError.badParam('args');
      continue;
    }
    try {
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      ctx.parseError ??= PartnerError.badParam(name);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(params, name)) {
      ctx.parseError ??= PartnerError.badParam(name);
      continue;
    }
    params[name] = value;
  }
  return ctx;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseMultipart(req: IncomingMessage): Promise<PartnerContext & { bytes: number }> {
  return new Promise((resolve) => {
    const params: Record<string, string> = {};
    const ctx: PartnerContext & { bytes: number } = { params, fileFields: [], bytes: 0 };
    // Once settled, the context belongs to the pipeline: nothing here changes it any more.
    let settled = false;
    const settle = (): void => {
      settled = true;
      resolve(ctx);
    };
    const fail = (error: PartnerError): void => {
      if (!settled) {
        ctx.parseError ??= error;
        settle();
      }
    };
    // A client gone mid-body: the request errors or closes unfinished, and neither busboy nor 'end' would
    // ever come to an end.
    req.on('error', () => fail(PartnerError.badParam('args')));
    req.on('close', () => {
      if (!req.complete) {
        fail(PartnerError.badParam('args'));
      }
    });
    req.on('data', (chunk: Buffer) => {
      ctx.bytes += chunk.length;
    });
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fields: MAX_FIELDS, fieldSize: 64 * 1024, fileSize: MAX_MULTIPART_BYTES, parts: MAX_FIELDS },
      });
    } catch {
      ctx.parseError = PartnerError.badParam('Content-Type');
      req.on('end', settle);
      req.resume();
      return;
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) {
        ctx.parseError ??= PartnerError.badParam(name);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(params, name)) {
        ctx.parseError ??= PartnerError.badParam(name);
        return;
      }
      params[name] = value;
    });
    parser.on('file', (name, stream) => {
      ctx.fileFields.push(name);
      stream.resume();
    });
    parser.on('fieldsLimit', () => (ctx.parseError ??= PartnerError.badParam('args')));
    parser.on('partsLimit', () => (ctx.parseError ??= PartnerError.badParam('args')));
    parser.on('error', () => {
      req.unpipe(parser);
      req.resume();
      fail(PartnerError.badParam('args'));
    });
    parser.on('close', settle);
    req.pipe(parser);
  });
}

/**
 * Turns a partner request body into one parameter map. Never throws: problems are recorded as
 * `parseError` (or ME01024 for an empty body) for the SignatureGuard to answer in the envelope.
 */
export async function parsePartnerBody(req: IncomingMessage): Promise<PartnerContext> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const ctx = await parseMultipart(req);
    if (ctx.bytes === 0) {
      return { params: {}, fileFields: [], parseError: new PartnerError('ME01024') };
    }
    if (ctx.bytes > MAX_MULTIPART_BYTES) {
      ctx.parseError ??= PartnerError.badParam('args');
    }
    return { params: ctx.params, fileFields: ctx.fileFields, parseError: ctx.parseError };
  }
  // A read that fails (the client went away mid-body) is an unreadable body, like an oversized one.
  const body = await readBody(req, MAX_URLENCODED_BYTES).catch(() => null);
  if (body === null) {
    return { params: {}, fileFields: [], parseError: PartnerError.badParam('args') };
  }
  if (body.length === 0) {
    return { params: {}, fileFields: [], parseError: new PartnerError('ME01024') };
  }
  if (type !== '' && !type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('text/plain')) {
    return { params: {}, fileFields: [], parseError: PartnerError.badParam('Content-Type') };
  }
  return parseUrlencoded(body.toString('utf8'));
}
