import type { Request } from 'express';
import type { ConsoleSession } from './console-session.service';
import { Lang } from './views/i18n';
import type { PageContext } from './views/layout';

export const SESSION_COOKIE = 'console_session';
export const LANG_COOKIE = 'console_lang';
export const LOGIN_CSRF_COOKIE = 'console_login_csrf';

export type ConsoleRequest = Request & { consoleSession?: ConsoleSession; consoleLang?: Lang };

/** One cookie's value from the Cookie header (the service has no cookie-parser). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionTokenOf(req: Request): string | undefined {
  return cookieOf(req, SESSION_COOKIE);
}

export function langOf(req: Request): Lang {
  return cookieOf(req, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** Only a path inside the console (or the queue board) is followed after sign-in or a language switch. */
export function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/(console|admin\/queues)(\/|\?|$)/.test(next) && !next.includes('//') && !next.includes('\\')
    ? next
    : fallback;
}

/** What a page of a signed-in person needs (the ConsoleGuard has put the session on the request). */
export function pageContextOf(req: ConsoleRequest): PageContext & { session: ConsoleSession } {
  return { lang: req.consoleLang ?? 'zh', path: req.originalUrl, session: req.consoleSession! };
}
