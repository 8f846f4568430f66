import { AuditLog } from '../../audit/entities/audit-log.entity';
import { ConsoleSession } from '../console-session.service';
import {
  AdminChannelView,
  AdminContentView,
  AdminEditView,
} from '../../micro-channel-review/dto/micro-channel.response.dto';
import { Html, html, query } from './html';
import { fieldLabel, FIELD_LABELS, formatTime, Lang, statusWord, t } from './i18n';
import { csrfField, layout, Notice, PageContext, pager } from './layout';

export interface QueueFilters {
  cityCode?: string;
  catalogID?: string;
  channelName?: string;
  channelNumber?: string;
  pageCount: number;
}

export interface QueueRow {
  applyIdx: string;
  channelNumber: string;
  channelName: string;
  cityName: string;
  catalogName: string;
  accountID: string;
  createdAt: Date;
  /** Edits only: the fields it changes. */
  changes?: string[];
}

export interface QueuePage {
  kind: 'edits' | 'applications';
  filters: QueueFilters;
  page: number;
  total: number;
  counts: { edits: number; applications: number };
  rows: QueueRow[];
}

const CONTENT_FIELDS = Object.keys(FIELD_LABELS) as Array<keyof AdminContentView>;

/** `/media/voice/<id>.amr` (absolute) -> the same clip as WAV on this service, for the <audio> element. */
export function wavUrlOf(voiceUrl: string | null | undefined): string | null {
  const id = /\/media\/voice\/([0-9a-f]{32})\.amr$/.exec(voiceUrl ?? '')?.[1];
  return id ? `/media/voice/${id}.wav` : null;
}

export function queuePage(ctx: PageContext, q: QueuePage, notices: Notice[]): Html {
  const { lang } = ctx;
  const filterParams = { ...q.filters, kind: q.kind };
  const tab = (kind: 'edits' | 'applications', count: number) =>
    html`<li>
      <a href="/console/review${query({ ...filterParams, kind })}" ${kind === q.kind ? html` aria-current="page"` : ''}
        >${t(lang, kind === 'edits' ? 'queueEdits' : 'queueApplications')} <span class="count">${count}</span></a
      >
    </li>`;
  const f = q.filters;
  const detailBase = q.kind === 'edits' ? '/console/review/edits/' : '/console/review/applications/';
  return layout(
    ctx,
    t(lang, 'queueTitle'),
    html`<ul class="tabs">
        ${tab('edits', q.counts.edits)}${tab('applications', q.counts.applications)}
      </ul>
      <form method="get" action="/console/review" class="filters" aria-label="${t(lang, 'filters')}">
        <input type="hidden" name="kind" value="${q.kind}" />
        <p>
          <label for="f-city">${t(lang, 'filterCity')}</label
          ><input id="f-city" name="cityCode" value="${f.cityCode}" inputmode="numeric" maxlength="6" size="7" />
        </p>
        <p>
          <label for="f-catalog">${t(lang, 'filterCatalog')}</label
          ><input id="f-catalog" name="catalogID" value="${f.catalogID}" inputmode="numeric" maxlength="11" size="11" />
        </p>
        <p>
          <label for="f-name">${t(lang, 'filterName')}</label
          ><input id="f-name" name="channelName" value="${f.channelName}" maxlength="16" size="12" />
        </p>
        <p>
          <label for="f-number">${t(lang, 'filterNumber')}</label
          ><input id="f-number" name="channelNumber" value="${f.channelNumber}" maxlength="15" size="12" />
        </p>
        <p>
          <label for="f-count">${t(lang, 'filterPageCount')}</label
          ><select id="f-count" name="pageCount">
            ${[10, 20, 50, 100].map(
              (n) => html`<option value="${n}" ${n === f.pageCount ? html` selected` : ''}>${n}</option>`,
            )}
          </select>
        </p>
        <p class="actions">
          <button type="submit">${t(lang, 'applyFilters')}</button>
          <a href="/console/review${query({ kind: q.kind })}">${t(lang, 'clearFilters')}</a>
        </p>
      </form>
      <p class="hint">${t(lang, 'oldestFirst')}</p>
      ${
        q.rows.length === 0
          ? html`<p class="empty">${t(lang, 'emptyQueue')}</p>`
          : html`<table class="list">
              <caption class="sr-only">
                ${t(lang, q.kind === 'edits' ? 'queueEdits' : 'queueApplications')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'colApplyIdx')}</th>
                  <th scope="col">${t(lang, 'colNumber')}</th>
                  <th scope="col">${t(lang, 'colName')}</th>
                  <th scope="col">${t(lang, 'colCity')}</th>
                  <th scope="col">${t(lang, 'colCatalog')}</th>
                  <th scope="col">${t(lang, 'colOwner')}</th>
                  ${q.kind === 'edits' ? html`<th scope="col">${t(lang, 'colChanges')}</th>` : ''}
                  <th scope="col">${t(lang, 'colSubmitted')}</th>
                  <th scope="col">${t(lang, 'colAction')}</th>
                </tr>
              </thead>
              <tbody>
                ${q.rows.map(
                  (r) =>
                    html`<tr>
                      <td>${r.applyIdx}</td>
                      <td><code>${r.channelNumber}</code></td>
                      <td>${r.channelName}</td>
                      <td>${r.cityName}</td>
                      <td>${r.catalogName}</td>
                      <td><code>${r.accountID}</code></td>
                      ${r.changes ? html`<td>${r.changes.map((c) => fieldLabel(lang, c)).join('、')}</td>` : ''}
                      <td><time>${formatTime(r.createdAt)}</time></td>
                      <td>
                        <a class="button" href="${detailBase}${r.applyIdx}"
                          >${t(lang, 'review')}<span class="sr-only"> ${r.channelNumber}</span></a
                        >
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager(lang, '/console/review', filterParams, q.page, f.pageCount, q.total)}
      <form method="get" action="/console/review/channels" class="lookup">
        <p>
          <label for="lookup">${t(lang, 'findMicro')}</label>
          <input id="lookup" name="number" maxlength="15" size="15" placeholder="FMtest01" />
          <button type="submit">${t(lang, 'open')}</button>
        </p>
      </form>`,
    notices,
  );
}

function logoView(lang: Lang, url: string, name: string): Html {
  return url
    ? html`<img
        class="logo"
        src="${url}"
        alt="${t(lang, 'logoOf', { name })}"
        referrerpolicy="no-referrer"
        loading="lazy"
      />`
    : html`<span class="muted">${t(lang, 'noLogo')}</span>`;
}

function voiceView(lang: Lang, voiceUrl: string | null, name: string): Html {
  const wav = wavUrlOf(voiceUrl);
  return wav
    ? html`<audio controls preload="none" src="${wav}" aria-label="${t(lang, 'spokenName')}: 微频道${name}"></audio>`
    : html`<span class="muted">${t(lang, 'noVoice')}</span>`;
}

function decisionForm(lang: Lang, session: ConsoleSession, action: string): Html {
  return html`<form method="post" action="${action}" class="card decision" aria-labelledby="decision-h">
    <h2 id="decision-h">${t(lang, 'decision')}</h2>
    ${csrfField(session)}
    <p>
      <label for="checkRemark">${t(lang, 'remarkLabel')}</label>
      <textarea id="checkRemark" name="checkRemark" maxlength="64" rows="2"></textarea>
    </p>
    <p class="actions">
      <button type="submit" name="checkStatus" value="2" class="primary" data-busy="1">${t(lang, 'approve')}</button>
      <button type="submit" name="checkStatus" value="1" class="danger">${t(lang, 'reject')}</button>
    </p>
  </form>`;
}

export function channelStatusForm(
  lang: Lang,
  session: ConsoleSession,
  action: string,
  open: boolean,
  withRemark = true,
): Html {
  return html`<form method="post" action="${action}" class="card" aria-labelledby="status-h">
    <h2 id="status-h">${t(lang, 'channelControls')}</h2>
    ${csrfField(session)}
    <input type="hidden" name="action" value="${open ? 'close' : 'reopen'}" />
    ${
      withRemark
        ? html`<p>
            <label for="statusRemark">${t(lang, 'statusRemarkLabel')}</label>
            <input id="statusRemark" name="checkRemark" maxlength="64" size="40" />
          </p>`
        : ''
    }
    <p>
      <button
        type="submit"
        class="${open ? 'danger' : 'primary'}"
        data-confirm="${t(lang, open ? 'closeChannel' : 'reopenChannel')}?"
      >
        ${t(lang, open ? 'closeChannel' : 'reopenChannel')}
      </button>
    </p>
  </form>`;
}

export function metaList(items: Array<[string, Html | string]>): Html {
  return html`<dl class="meta">
    ${items.map(
      ([k, v]) =>
        html`<div>
          <dt>${k}</dt>
          <dd>${v}</dd>
        </div>`,
    )}
  </dl>`;
}

export interface EditDetailPage {
  edit: AdminEditView;
  channel: AdminChannelView;
  changes: string[];
}

export function editPage(ctx: PageContext, session: ConsoleSession, d: EditDetailPage, notices: Notice[]): Html {
  const { lang } = ctx;
  const { edit, channel } = d;
  const changed = new Set(d.changes);
  const pending = edit.status === 'pending';
  const open = channel.status === 'open';
  const seconds = (s: number | null) => (s === null ? null : new Date(s * 1000));
  return layout(
    ctx,
    t(lang, 'editTitle', { id: edit.applyIdx, number: channel.channelNumber }),
    html`${metaList([
        [t(lang, 'status'), html`<span class="badge ${edit.status}">${statusWord(lang, edit.status)}</span>`],
        [t(lang, 'owner'), html`<code>${edit.accountID}</code>`],
        [t(lang, 'submitted'), formatTime(seconds(edit.createdAt))],
        ...(edit.reviewerAccountID
          ? ([
              [
                t(lang, 'reviewedBy'),
                html`<code>${edit.reviewerAccountID}</code> · ${formatTime(seconds(edit.reviewedAt))}`,
              ],
              [t(lang, 'remark'), edit.checkRemark || '—'],
            ] as Array<[string, Html | string]>)
          : []),
        [
          t(lang, 'channelControls'),
          html`<a href="/console/review/channels/${channel.channelNumber}">${statusWord(lang, channel.status)}</a>`,
        ],
      ])}
      <p class="summary">
        ${d.changes.length ? t(lang, 'changedSummary', { n: d.changes.length }) : t(lang, 'noChanges')}
      </p>
      <table class="compare">
        <caption class="sr-only">
          ${t(lang, 'live')} / ${t(lang, 'proposed')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t(lang, 'field')}</th>
            <th scope="col">${t(lang, 'live')}</th>
            <th scope="col">${t(lang, 'proposed')}</th>
          </tr>
        </thead>
        <tbody>
          ${CONTENT_FIELDS.map((field) => {
            const isChanged = changed.has(field);
            return html`<tr${isChanged ? html` class="changed"` : ''}><th scope="row">${fieldLabel(lang, field)}${
              isChanged ? html` <span class="tag">${t(lang, 'changed')}</span>` : ''
            }</th><td>${channel[field] || '—'}</td><td>${isChanged ? html`<ins>${edit[field] || '—'}</ins>` : edit[field] || '—'}</td></tr>`;
          })}
          <tr>
            <th scope="row">${t(lang, 'logo')}</th>
            <td>${logoView(lang, channel.logoURL, channel.channelName)}</td>
            <td>${logoView(lang, edit.logoURL, edit.channelName)}</td>
          </tr>
          <tr>
            <th scope="row">${t(lang, 'spokenName')}</th>
            <td>${voiceView(lang, channel.voiceURL, channel.channelName)}</td>
            <td class="muted">${t(lang, 'spokenNameHint')}</td>
          </tr>
        </tbody>
      </table>
      ${
        pending && open
          ? decisionForm(lang, session, `/console/review/edits/${edit.applyIdx}/decision`)
          : html`<p class="muted">${pending ? t(lang, 'channelClosedNote') : t(lang, 'decided')}</p>`
      }`,
    notices,
  );
}

export interface ApplicationDetail {
  applyIdx: string;
  channelNumber: string;
  accountID: string;
  status: string;
  content: AdminContentView;
  createdAt: Date;
  reviewerAccountID: string | null;
  reviewedAt: Date | null;
  checkRemark: string;
}

export function applicationPage(
  ctx: PageContext,
  session: ConsoleSession,
  a: ApplicationDetail,
  notices: Notice[],
): Html {
  const { lang } = ctx;
  return layout(
    ctx,
    t(lang, 'applicationTitle', { id: a.applyIdx, number: a.channelNumber }),
    html`${metaList([
        [t(lang, 'status'), html`<span class="badge ${a.status}">${statusWord(lang, a.status)}</span>`],
        [t(lang, 'owner'), html`<code>${a.accountID}</code>`],
        [t(lang, 'submitted'), formatTime(a.createdAt)],
        ...(a.reviewerAccountID
          ? ([
              [t(lang, 'reviewedBy'), html`<code>${a.reviewerAccountID}</code> · ${formatTime(a.reviewedAt)}`],
              [t(lang, 'remark'), a.checkRemark || '—'],
            ] as Array<[string, Html | string]>)
          : []),
      ])}
      <table class="compare">
        <thead>
          <tr>
            <th scope="col">${t(lang, 'field')}</th>
            <th scope="col">${t(lang, 'value')}</th>
          </tr>
        </thead>
        <tbody>
          ${CONTENT_FIELDS.map(
            (field) =>
              html`<tr>
                <th scope="row">${fieldLabel(lang, field)}</th>
                <td>${a.content[field] || '—'}</td>
              </tr>`,
          )}
          <tr>
            <th scope="row">${t(lang, 'logo')}</th>
            <td>${logoView(lang, a.content.logoURL, a.content.channelName)}</td>
          </tr>
          <tr>
            <th scope="row">${t(lang, 'spokenName')}</th>
            <td class="muted">${t(lang, 'spokenNameLater')}</td>
          </tr>
        </tbody>
      </table>
      ${
        a.status === 'pending'
          ? decisionForm(lang, session, `/console/review/applications/${a.applyIdx}/decision`)
          : html`<p class="muted">${t(lang, 'decided')}</p>`
      }`,
    notices,
  );
}

export interface MicroChannelPage {
  channel: AdminChannelView;
  edits: AdminEditView[];
  audit: AuditLog[];
}

export function microChannelPage(
  ctx: PageContext,
  session: ConsoleSession,
  p: MicroChannelPage,
  notices: Notice[],
): Html {
  const { lang } = ctx;
  const c = p.channel;
  const pendingEdit = p.edits.find((e) => e.status === 'pending');
  return layout(
    ctx,
    t(lang, 'microTitle', { number: c.channelNumber }),
    html`${metaList([
        [t(lang, 'status'), html`<span class="badge ${c.status}">${statusWord(lang, c.status)}</span>`],
        [t(lang, 'owner'), html`<code>${c.accountID}</code>`],
        [t(lang, 'spokenName'), voiceView(lang, c.voiceURL, c.channelName)],
        [t(lang, 'logo'), logoView(lang, c.logoURL, c.channelName)],
        [
          t(lang, 'pendingEdit'),
          pendingEdit
            ? html`<a href="/console/review/edits/${pendingEdit.applyIdx}">#${pendingEdit.applyIdx}</a>`
            : t(lang, 'noPendingEdit'),
        ],
      ])}
      <table class="compare">
        <tbody>
          ${CONTENT_FIELDS.map(
            (field) =>
              html`<tr>
                <th scope="row">${fieldLabel(lang, field)}</th>
                <td>${c[field] || '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${channelStatusForm(lang, session, `/console/review/channels/${c.channelNumber}/status`, c.status === 'open')}
      <h2>${t(lang, 'history')}</h2>
      ${auditTable(lang, p.audit)}`,
    notices,
  );
}

export function auditTable(lang: Lang, rows: AuditLog[]): Html {
  if (rows.length === 0) {
    return html`<p class="empty">${t(lang, 'noAudit')}</p>`;
  }
  // Group channels and members store numeric statuses; micro channels store words.
  const kind = (entityType: string): string =>
    entityType === 'secret-channel' ? 'secret:' : entityType === 'secret-channel-member' ? 'member:' : '';
  const brief = (row: AuditLog, state: Record<string, unknown> | null): string => {
    const status = state?.status;
    if (typeof status === 'number') {
      return statusWord(lang, `${kind(row.entityType)}${status}`);
    }
    return typeof status === 'string' ? statusWord(lang, status) : '';
  };
  return html`<table class="list audit">
      <thead>
        <tr>
          <th scope="col">${t(lang, 'colTime')}</th>
          <th scope="col">${t(lang, 'colActor')}</th>
          <th scope="col">${t(lang, 'colWhat')}</th>
          <th scope="col">${t(lang, 'colEntity')}</th>
          <th scope="col">${t(lang, 'colDetail')}</th>
          <th scope="col">${t(lang, 'remark')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((r) => {
          const before = brief(r, r.before);
          const after = brief(r, r.after);
          // The console acts for a signed-in account without a partner app; the admin API and the service itself act for no account.
          const actor = r.actorAccountId
            ? html`<code>${r.actorAccountId}</code
                >${r.appKey === null ? html` <span class="tag">${t(lang, 'viaConsole')}</span>` : ''}`
            : html`<span class="muted">${t(lang, 'system')}</span>`;
          return html`<tr>
            <td><time>${formatTime(r.createdAt)}</time></td>
            <td>${actor}</td>
            <td><code>${r.action}</code></td>
            <td>${r.entityId}</td>
            <td>${before}${before || after ? ' → ' : ''}${after}</td>
            <td>${r.remark}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    <p class="hint">${t(lang, 'timesInCst')}</p>`;
}
