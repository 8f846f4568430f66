import { AuditLog } from '../../audit/entities/audit-log.entity';
import { Invitation } from '../../invite/entities/invitation.entity';
import { ChannelStatus, SecretChannel } from '../../secret-channel/entities/secret-channel.entity';
import { ConsoleSession } from '../console-session.service';
import { MemberRow } from '../console-channels.service';
import { Html, html } from './html';
import { formatTime, statusWord, t } from './i18n';
import { layout, Notice, PageContext, pager } from './layout';
import { auditTable, channelStatusForm, metaList } from './review.views';

export const CHANNELS_PAGE_SIZE = 20;
export const MEMBERS_PAGE_SIZE = 50;
export const INVITATIONS_PAGE_SIZE = 50;

export function channelsPage(
  ctx: PageContext,
  q: string,
  page: number,
  result: { total: number; items: SecretChannel[] },
): Html {
  const { lang } = ctx;
  return layout(
    ctx,
    t(lang, 'channelsTitle'),
    html`<form method="get" action="/console/channels" class="filters" role="search">
        <p>
          <label for="q">${t(lang, 'searchChannels')}</label
          ><input id="q" name="q" value="${q}" maxlength="32" size="24" aria-describedby="q-hint" autofocus />
        </p>
        <p class="actions"><button type="submit" class="primary">${t(lang, 'search')}</button></p>
      </form>
      <p id="q-hint" class="hint">${t(lang, 'searchHint')}</p>
      ${
        result.items.length === 0
          ? html`<p class="empty">${t(lang, 'emptySearch')}</p>`
          : html`<table class="list">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'colNumber')}</th>
                  <th scope="col">${t(lang, 'colName')}</th>
                  <th scope="col">${t(lang, 'colOwner')}</th>
                  <th scope="col">${t(lang, 'colMembers')}</th>
                  <th scope="col">${t(lang, 'status')}</th>
                  <th scope="col">${t(lang, 'colCreated')}</th>
                </tr>
              </thead>
              <tbody>
                ${result.items.map(
                  (c) =>
                    html`<tr>
                      <td>
                        <a href="/console/channels/${c.channelNumber}"><code>${c.channelNumber}</code></a>
                      </td>
                      <td>${c.name}</td>
                      <td><code>${c.ownerAccountId}</code></td>
                      <td>${c.memberCount} / ${c.capacity}</td>
                      <td><span class="badge s${c.status}">${statusWord(lang, `secret:${c.status}`)}</span></td>
                      <td><time>${formatTime(c.createdAt)}</time></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager(lang, '/console/channels', { q }, page, CHANNELS_PAGE_SIZE, result.total)}`,
  );
}

export interface ChannelDetailPage {
  channel: SecretChannel;
  members: { total: number; items: MemberRow[] };
  page: number;
  audit: AuditLog[];
}

export function channelPage(ctx: PageContext, session: ConsoleSession, p: ChannelDetailPage, notices: Notice[]): Html {
  const { lang } = ctx;
  const c = p.channel;
  const number = c.channelNumber ?? '';
  const yesNo = (v: number) => t(lang, v ? 'yes' : 'no');
  const meta: Array<[string, Html | string]> = [
    [t(lang, 'status'), html`<span class="badge s${c.status}">${statusWord(lang, `secret:${c.status}`)}</span>`],
    [t(lang, 'owner'), html`<code>${c.ownerAccountId}</code>`],
    [t(lang, 'introduction'), c.introduction],
    [t(lang, 'city'), `${c.cityName} (${c.cityCode})`],
    [t(lang, 'catalog'), `${c.catalogName} (${c.catalogId})`],
    [t(lang, 'openType'), yesNo(c.openType)],
    [t(lang, 'isVerify'), yesNo(c.isVerify)],
    [t(lang, 'memberCount'), `${c.memberCount} / ${c.capacity}`],
    [t(lang, 'created'), formatTime(c.createdAt)],
  ];
  return layout(
    ctx,
    t(lang, 'channelTitle', { number, name: c.name }),
    html`${metaList(meta)}
      ${c.status === ChannelStatus.Dissolved ? '' : channelStatusForm(lang, session, `/console/channels/${number}/status`, c.status === ChannelStatus.Normal, false)}
      <h2 id="members-h">${t(lang, 'members')} <span class="count">${p.members.total}</span></h2>
      ${
        p.members.items.length === 0
          ? html`<p class="empty">${t(lang, 'noMembers')}</p>`
          : html`<table class="list" aria-labelledby="members-h">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'colAccount')}</th>
                  <th scope="col">${t(lang, 'colNickname')}</th>
                  <th scope="col">${t(lang, 'colRole')}</th>
                  <th scope="col">${t(lang, 'colMemberStatus')}</th>
                  <th scope="col">${t(lang, 'colActive')}</th>
                  <th scope="col">${t(lang, 'colJoined')}</th>
                </tr>
              </thead>
              <tbody>
                ${p.members.items.map(
                  ({ member: m, nickname }) =>
                    html`<tr${m.active ? '' : html` class="inactive"`}><td><code>${m.accountId}</code></td><td>${nickname || '—'}</td><td>${statusWord(lang, `role:${m.role}`)}</td><td>${statusWord(lang, `member:${m.status}`)}</td><td>${t(lang, m.active ? 'yes' : 'no')}</td><td><time>${formatTime(m.joinedAt)}</time></td></tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager(lang, `/console/channels/${number}`, {}, p.page, MEMBERS_PAGE_SIZE, p.members.total)}
      <h2>${t(lang, 'auditTrail')}</h2>
      ${auditTable(lang, p.audit)}`,
    notices,
  );
}

export interface InvitationFilters {
  tempChannelID?: string;
  senderAccountID?: string;
  receiverAccountID?: string;
}

export function invitationsPage(
  ctx: PageContext,
  f: InvitationFilters,
  page: number,
  result: { total: number; items: Invitation[] },
): Html {
  const { lang } = ctx;
  const state = (kind: string, value: string, attempts: number, error: string | null) =>
    html`<span class="badge ${value}">${statusWord(lang, `${kind}:${value}`)}</span>${
        attempts ? html` <span class="muted">${t(lang, 'attempts', { n: attempts })}</span>` : ''
      }${error ? html`<br /><small class="error-text">${error}</small>` : ''}`;
  return layout(
    ctx,
    t(lang, 'invitationsTitle'),
    html`<form method="get" action="/console/invitations" class="filters" aria-label="${t(lang, 'filters')}">
        <p>
          <label for="f-temp">${t(lang, 'filterTempChannel')}</label
          ><input
            id="f-temp"
            name="tempChannelID"
            value="${f.tempChannelID}"
            inputmode="numeric"
            maxlength="8"
            size="9"
          />
        </p>
        <p>
          <label for="f-sender">${t(lang, 'filterSender')}</label
          ><input id="f-sender" name="senderAccountID" value="${f.senderAccountID}" maxlength="10" size="11" />
        </p>
        <p>
          <label for="f-receiver">${t(lang, 'filterReceiver')}</label
          ><input id="f-receiver" name="receiverAccountID" value="${f.receiverAccountID}" maxlength="10" size="11" />
        </p>
        <p class="actions">
          <button type="submit">${t(lang, 'applyFilters')}</button>
          <a href="/console/invitations">${t(lang, 'clearFilters')}</a>
        </p>
      </form>
      ${
        result.items.length === 0
          ? html`<p class="empty">${t(lang, 'noInvitations')}</p>`
          : html`<table class="list">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'colInvitation')}</th>
                  <th scope="col">${t(lang, 'colTime')}</th>
                  <th scope="col">${t(lang, 'colSender')}</th>
                  <th scope="col">${t(lang, 'colReceiver')}</th>
                  <th scope="col">${t(lang, 'colTempChannel')}</th>
                  <th scope="col">${t(lang, 'colDelivery')}</th>
                  <th scope="col">${t(lang, 'colAccepted')}</th>
                  <th scope="col">${t(lang, 'colCallback')}</th>
                </tr>
              </thead>
              <tbody>
                ${result.items.map(
                  (i) =>
                    html`<tr>
                      <td>#${i.id}</td>
                      <td><time>${formatTime(i.createdAt)}</time></td>
                      <td><code>${i.senderAccountId}</code></td>
                      <td><code>${i.receiverAccountId}</code></td>
                      <td><code>${i.tempChannelId}</code></td>
                      <td>${state('delivery', i.deliveryState, i.deliveryAttempts, i.deliveryError)}</td>
                      <td>${formatTime(i.acceptedAt)}</td>
                      <td>${state('callback', i.callbackState, i.callbackAttempts, i.callbackError)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager(lang, '/console/invitations', { ...f }, page, INVITATIONS_PAGE_SIZE, result.total)}
      <p><a href="/admin/queues" target="_blank" rel="noopener">${t(lang, 'queueBoardIntro')}</a></p>`,
  );
}
