import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkipSignature } from '../common/decorators/partner.decorators';
import { safeEqual } from '../common/signature/sign';
import { AppConfig } from '../config/configuration';
import { ConsoleExceptionFilter } from './console-exception.filter';
import {
  ConsoleRequest,
  cookieOf,
  LANG_COOKIE,
  LOGIN_CSRF_COOKIE,
  safeNext,
  SESSION_COOKIE,
  sessionTokenOf,
} from './console-request';
import { ConsoleSession, ConsoleSessionService } from './console-session.service';
import { ConsoleAccessFor, ConsoleGuard } from './console.guard';
import { CsrfFormDto, LanguageQueryDto, SignInFormDto } from './dto/console.dto';
import { signInPage } from './views/auth.views';
import { t } from './views/i18n';
import { Notice } from './views/layout';
import { redirect, sendPage } from './views/respond';

const ASSETS: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  [
    ['console.css', 'text/css; charset=utf-8'],
    ['console.js', 'text/javascript; charset=utf-8'],
  ].map(([name, type]) => [name, { type, body: readFileSync(join(__dirname, 'assets', name)) }]),
);

export function homeOf(session: ConsoleSession | null | undefined): string {
  if (!session) {
    return '/console/login';
  }
  return session.roles.includes('reviewer') ? '/console/review' : '/console/channels';
}

/** Sign-in, sign-out, the language switch and the console's own static files. */
@Controller('console')
@SkipSignature()
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
@ApiExcludeController()
export class ConsoleAuthController {
  constructor(
    private readonly sessions: ConsoleSessionService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ConsoleAccessFor('public')
  home(@Req() req: ConsoleRequest, @Res() res: Response): void {
    redirect(res, homeOf(req.consoleSession));
  }

  @Get('login')
  @ConsoleAccessFor('public')
  signInForm(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Query('next') next?: string,
    @Query('expired') expired?: string,
  ): void {
    if (req.consoleSession) {
      redirect(res, safeNext(next, homeOf(req.consoleSession)));
      return;
    }
    const lang = req.consoleLang ?? 'zh';
    const notices: Notice[] = expired ? [{ kind: 'error', text: t(lang, 'signInExpired') }] : [];
    this.renderSignIn(req, res, 200, safeNext(next, ''), '', notices);
  }

  /**
   * The sign-in form carries a token matching a cookie set with the form (double submit), so another
   * site cannot sign a browser in to an account of its choosing.
   */
  @Post('login')
  @ConsoleAccessFor('public')
  async signIn(@Req() req: ConsoleRequest, @Res() res: Response, @Body() form: SignInFormDto): Promise<void> {
    const lang = req.consoleLang ?? 'zh';
    const expected = cookieOf(req, LOGIN_CSRF_COOKIE);
    const next = safeNext(form.next, '');
    if (!expected || !safeEqual(expected, form.csrf)) {
      this.renderSignIn(req, res, 403, next, form.accountID, [{ kind: 'error', text: t(lang, 'csrfFailed') }]);
      return;
    }
    const result = await this.sessions.signIn(form.accountID, form.password);
    if (!result.ok) {
      const text =
        result.reason === 'locked'
          ? t(lang, 'signInLocked', { m: Math.ceil(result.retryAfterSeconds / 60) })
          : result.reason === 'no-role'
            ? t(lang, 'signInNoRole')
            : t(lang, 'signInInvalid', { n: result.remainingAttempts });
      this.renderSignIn(req, res, result.reason === 'locked' ? 429 : 401, next, form.accountID, [
        { kind: 'error', text },
      ]);
      return;
    }
    res.append('Set-Cookie', this.cookie(SESSION_COOKIE, result.token));
    res.append('Set-Cookie', this.cookie(LOGIN_CSRF_COOKIE, '', 0));
    redirect(res, safeNext(next, homeOf(result.session)));
  }

  @Post('logout')
  @ConsoleAccessFor('any')
  async signOut(@Req() req: ConsoleRequest, @Res() res: Response, @Body() _form: CsrfFormDto): Promise<void> {
    const token = sessionTokenOf(req);
    if (token) {
      await this.sessions.end(token);
    }
    res.append('Set-Cookie', this.cookie(SESSION_COOKIE, '', 0));
    redirect(res, '/console/login');
  }

  /** A preference, not a change of state: a plain link works without script. */
  @Get('lang')
  @ConsoleAccessFor('public')
  language(@Req() req: ConsoleRequest, @Res() res: Response, @Query() q: LanguageQueryDto): void {
    res.append('Set-Cookie', this.cookie(LANG_COOKIE, q.to, 365 * 24 * 3600, false));
    redirect(res, safeNext(q.next, homeOf(req.consoleSession)));
  }

  @Get('assets/:file')
  @HttpCode(200)
  @ConsoleAccessFor('static')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) {
      res.status(404).type('text/plain').end('not found');
      return;
    }
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(asset.body);
  }

  private renderSignIn(
    req: ConsoleRequest,
    res: Response,
    status: number,
    next: string,
    accountId: string,
    notices: Notice[],
  ): void {
    const csrf = randomBytes(24).toString('base64url');
    res.append('Set-Cookie', this.cookie(LOGIN_CSRF_COOKIE, csrf));
    const ctx = { lang: req.consoleLang ?? 'zh', path: req.originalUrl, session: null };
    sendPage(res, status, signInPage(ctx, csrf, next, accountId, notices));
  }

  /** HttpOnly and SameSite=Strict always; Secure when the service is reached over https. */
  private cookie(name: string, value: string, maxAgeSeconds?: number, httpOnly = true): string {
    const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict'];
    if (httpOnly) {
      parts.push('HttpOnly');
    }
    if (this.config.publicBaseUrl.startsWith('https:')) {
      parts.push('Secure');
    }
    if (maxAgeSeconds !== undefined) {
      parts.push(`Max-Age=${maxAgeSeconds}`);
    }
    return parts.join('; ');
  }
}
