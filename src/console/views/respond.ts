import type { Response } from 'express';
import { PartnerError } from '../../common/errors/partner-error';
import { Html } from './html';

/**
 * Nothing but this service: scripts, styles, media and form targets are same-origin. Logos are the one
 * exception: they are partner-supplied image URLs, shown as images only.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' http: https: data:",
  "media-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function sendPage(res: Response, status: number, page: Html): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.end(page.value);
}

/** After a change: Post/Redirect/Get, so reloading the page never repeats the change. */
export function redirect(res: Response, location: string): void {
  res.status(303).setHeader('Location', location).setHeader('Cache-Control', 'no-store').end();
}

/**
 * A decision taken through the partner rules: on success, Post/Redirect/Get to `done`; when the service
 * refuses (a PartnerError, such as ME18307 on approve), `showRefusal` renders the page again with the refusal
 * in words. Any other error goes on to the console's exception filter.
 */
export async function decideThenRedirect(
  res: Response,
  decide: () => Promise<unknown>,
  done: string,
  showRefusal: (err: PartnerError) => Promise<void>,
): Promise<void> {
  try {
    await decide();
  } catch (err) {
    if (!(err instanceof PartnerError)) {
      throw err;
    }
    await showRefusal(err);
    return;
  }
  redirect(res, done);
}
