import { ConsoleSession } from '../console-session.service';
import { Html, html, query } from './html';
import { PartnerError } from '../../common/errors/partner-error';
import { Lang, refusal, Refusal, t, TextKey } from './i18n';

export interface PageContext {
  lang: Lang;
  /** Path and query of this page, for the language switch to come back to. */
  path: string;
  session: ConsoleSession | null;
}

export interface Notice {
  kind: 'success' | 'error';
  text: string;
  refusal?: Refusal;
}

/** The refusal as the service worded it (ME code and message), with what it means for the signed-in person. */
export function refusalNotice(ctx: PageContext, err: PartnerError): Notice {
  return { kind: 'error', text: t(ctx.lang, 'refused'), refusal: refusal(ctx.lang, err.code, err.param) };
}

/** The success notice after a Post/Redirect/Get (`?done=approved` and the like). */
export function doneNotice(ctx: PageContext, done: string | undefined): Notice[] {
  return done ? [{ kind: 'success', text: t(ctx.lang, `done_${done}` as TextKey) }] : [];
}

/** The page every console view sits in: header, navigation by role, language switch, one <main>. */
export function layout(ctx: PageContext, title: string, body: Html, notices: Notice[] = []): Html {
  const { lang, session } = ctx;
  const nav: Array<[string, TextKey]> = [];
  if (session?.roles.includes('reviewer')) {
    nav.push(['/console/review', 'navQueue']);
  }
  if (session?.roles.includes('operator')) {
    nav.push(['/console/channels', 'navChannels'], ['/console/invitations', 'navInvitations']);
  }
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html>
    <html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t(lang, 'appName')}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">${t(lang, 'skipToMain')}</a>
        <header class="top">
          <a class="brand" href="/console/">${t(lang, 'appName')}</a>
          ${
            nav.length
              ? html`<nav aria-label="${t(lang, 'appName')}">
                  <ul>
                    ${nav.map(
                      ([href, key]) =>
                        html`<li>
                          <a href="${href}" ${ctx.path.startsWith(href) ? html` aria-current="page"` : ''}
                            >${t(lang, key)}</a
                          >
                        </li>`,
                    )}${
                      session?.roles.includes('operator')
                        ? html`<li>
                            <a href="/admin/queues" target="_blank" rel="noopener">${t(lang, 'navQueueBoard')}</a>
                          </li>`
                        : ''
                    }
                  </ul>
                </nav>`
              : ''
          }
          <div class="who">
            <a
              class="lang"
              href="/console/lang${query({ to: other, next: ctx.path })}"
              hreflang="${other === 'zh' ? 'zh-CN' : 'en'}"
              aria-label="${t(lang, 'switchLangLabel')}"
              >${t(lang, 'switchLang')}</a
            >
            ${
              session
                ? html`<span class="me"
                      >${t(lang, 'signedInAs', { id: session.accountId })}${session.nickname ? html` (${session.nickname})` : ''}
                      ·
                      ${session.roles.map((r) => t(lang, r === 'reviewer' ? 'roleReviewer' : 'roleOperator')).join(' / ')}</span
                    >
                    <form method="post" action="/console/logout" class="inline">
                      <input type="hidden" name="csrf" value="${session.csrf}" /><button type="submit" class="link">
                        ${t(lang, 'signOut')}
                      </button>
                    </form>`
                : ''
            }
          </div>
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${notices.map(noticeView)} ${body}
        </main>
      </body>
    </html>`;
}

function noticeView(notice: Notice): Html {
  if (notice.kind === 'success') {
    return html`<p class="notice success" role="status">${notice.text}</p>`;
  }
  return html`<div class="notice error" role="alert">
    <p>${notice.text}</p>
    ${
      notice.refusal
        ? html`<p><code class="code">${notice.refusal.code}</code> <q lang="en">${notice.refusal.message}</q></p>
            ${notice.refusal.explanation ? html`<p>${notice.refusal.explanation}</p>` : ''}`
        : ''
    }
  </div>`;
}

/** Hidden CSRF field of every form that changes something. */
export function csrfField(session: ConsoleSession): Html {
  return html`<input type="hidden" name="csrf" value="${session.csrf}" />`;
}

export function pager(
  lang: Lang,
  base: string,
  params: Record<string, string | number | undefined>,
  page: number,
  pageSize: number,
  total: number,
): Html {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (to: number, key: TextKey, rel: string): Html =>
    html`<a rel="${rel}" href="${base}${query({ ...params, startPage: to })}">${t(lang, key)}</a>`;
  return html`<nav class="pager" aria-label="${t(lang, 'pageOf', { page, pages, total })}">
    ${page > 1 ? link(page - 1, 'prevPage', 'prev') : ''}
    <span>${t(lang, 'pageOf', { page, pages, total })}</span>
    ${page < pages ? link(page + 1, 'nextPage', 'next') : ''}
  </nav>`;
}
