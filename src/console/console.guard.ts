import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountRole } from '../access/entities/account.entity';
import { ConsoleRequest, langOf, sessionTokenOf } from './console-request';
import { ConsoleSessionService } from './console-session.service';

export const CONSOLE_ACCESS_KEY = 'consoleAccess';
/**
 * `static`: the console's files (no session lookup); `public`: the sign-in page; `any`: any signed-in staff
 * account; a role: accounts carrying it.
 */
export type ConsoleAccess = 'static' | 'public' | 'any' | AccountRole;
export const ConsoleAccessFor = (access: ConsoleAccess): MethodDecorator & ClassDecorator =>
  SetMetadata(CONSOLE_ACCESS_KEY, access);

/** Why a console request was stopped; ConsoleExceptionFilter turns each into a page or a redirect. */
export class ConsoleSignInRequired extends Error {}
export class ConsoleForbidden extends Error {}
export class ConsoleCsrfFailed extends Error {}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every console route: the session from its cookie (renewing its idle expiry), the role the route
 * needs, and on every change the session's CSRF token from a form field or header named `csrf`.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    req.consoleLang = langOf(req);
    const access =
      this.reflector.getAllAndOverride<ConsoleAccess>(CONSOLE_ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      'any';
    if (access === 'static') {
      return true;
    }
    const session = await this.sessions.resume(sessionTokenOf(req));
    if (session) {
      req.consoleSession = session;
    }
    if (access === 'public') {
      return true;
    }
    if (!session) {
      throw new ConsoleSignInRequired();
    }
    if (access !== 'any' && !session.roles.includes(access)) {
      throw new ConsoleForbidden();
    }
    if (!SAFE_METHODS.has(req.method)) {
      const body = req.body as Record<string, unknown> | undefined;
      const given = body?.csrf ?? req.headers['x-csrf-token'];
      if (!this.sessions.csrfMatches(session, given)) {
        throw new ConsoleCsrfFailed();
      }
    }
    return true;
  }
}
