import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ParamValidationError } from '../common/errors/partner-error';
import { ConsoleCsrfFailed, ConsoleForbidden, ConsoleSignInRequired } from './console.guard';
import { ConsoleRequest, langOf } from './console-request';
import { html, query } from './views/html';
import { t } from './views/i18n';
import { layout } from './views/layout';
import { redirect, sendPage } from './views/respond';

/**
 * Console pages answer people, not programs: a missing session goes to the sign-in page, every other
 * failure is a page in the reader's language (never JSON or a stack trace).
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      return;
    }
    if (exception instanceof ConsoleSignInRequired) {
      const next = req.method === 'GET' ? req.originalUrl : undefined;
      redirect(res, `/console/login${query({ next, expired: '1' })}`);
      return;
    }
    const lang = req.consoleLang ?? langOf(req);
    const ctx = { lang, path: req.originalUrl, session: req.consoleSession ?? null };
    let status = 500;
    let text = t(lang, 'serverError');
    if (exception instanceof ConsoleForbidden) {
      status = 403;
      text = t(lang, 'forbidden');
    } else if (exception instanceof ConsoleCsrfFailed) {
      status = 403;
      text = t(lang, 'csrfFailed');
    } else if (exception instanceof ParamValidationError) {
      status = 400;
      text = t(lang, 'badRequest', { detail: `${exception.field} ${exception.reason}` });
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse() as { errors?: Record<string, string>; message?: unknown };
      const detail = body.errors
        ? Object.entries(body.errors)
            .map(([field, why]) => `${field} ${why}`)
            .join('; ')
        : typeof body.message === 'string'
          ? body.message
          : '';
      text = status === 404 ? t(lang, 'notFound') : t(lang, 'badRequest', { detail });
    } else {
      this.logger.error({
        msg: 'console request failed',
        path: req.path,
        err: exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception),
      });
    }
    sendPage(
      res,
      status,
      layout(ctx, String(status), html`<p><a href="/console/">${t(lang, 'backToConsole')}</a></p>`, [
        { kind: 'error', text },
      ]),
    );
  }
}
