import { html } from './html';
import { Notice, PageContext, layout } from './layout';
import { t } from './i18n';

export function signInPage(ctx: PageContext, csrf: string, next: string, accountId: string, notices: Notice[]) {
  const { lang } = ctx;
  return layout(
    ctx,
    t(lang, 'signInTitle'),
    html`<p>${t(lang, 'signInIntro')}</p>
      <form method="post" action="/console/login" class="card narrow">
        <input type="hidden" name="csrf" value="${csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <p>
          <label for="accountID">${t(lang, 'accountId')}</label>
          <input
            id="accountID"
            name="accountID"
            value="${accountId}"
            required
            autocomplete="username"
            autocapitalize="off"
            spellcheck="false"
            maxlength="10"
            ${accountId ? '' : 'autofocus'}
          />
        </p>
        <p>
          <label for="password">${t(lang, 'password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            required
            autocomplete="current-password"
            maxlength="256"
            ${accountId ? 'autofocus' : ''}
          />
        </p>
        <p><button type="submit" class="primary">${t(lang, 'signInButton')}</button></p>
      </form>`,
    notices,
  );
}
