import { MicroChannelContent } from '../entities/micro-channel-content';
import { MicroChannelEdit } from '../entities/micro-channel-edit.entity';
import { MicroChannel } from '../entities/micro-channel.entity';
import { EditWithChannel } from '../micro-channel-edit.service';
import { channelStatusName, editStatusName } from '../micro-channel-review.service';

/** Unix seconds as a string, the partner payloads' time format (API.md 5). */
export function unixSeconds(date: Date): string {
  return Math.floor(date.getTime() / 1000).toString();
}

function unixSecondsNumber(date: Date | null): number | null {
  return date ? Math.floor(date.getTime() / 1000) : null;
}

/** Content in the partner parameter names. */
export interface PartnerContentView {
  channelName: string;
  channelIntroduction: string;
  chiefAnnouncerIntr: string;
  cityCode: string;
  cityName: string;
  catalogID: string;
  catalogName: string;
  logoURL: string;
  keyWords: string;
}

export function partnerContent(content: MicroChannelContent): PartnerContentView {
  return {
    channelName: content.name,
    channelIntroduction: content.introduction,
    chiefAnnouncerIntr: content.chiefAnnouncerIntr,
    cityCode: content.cityCode,
    cityName: content.cityName,
    catalogID: content.catalogId,
    catalogName: content.catalogName,
    logoURL: content.logoUrl,
    keyWords: content.keyWords,
  };
}

/** One entry of recheckMicroChannel infoType 1 (API.md 5.4). */
export interface PendingEditItem extends PartnerContentView {
  applyIdx: string;
  channelNumber: string;
  accountID: string;
  createTime: string;
}

export function pendingEditItem(edit: MicroChannelEdit, channel: MicroChannel): PendingEditItem {
  return {
    applyIdx: edit.id,
    channelNumber: channel.channelNumber,
    accountID: channel.accountId,
    ...partnerContent(edit.content),
    createTime: unixSeconds(edit.createdAt),
  };
}

/** getMicroChannelInfo: the live channel, its spoken name and (for the owner) the pending edit. */
export interface MicroChannelInfo extends PartnerContentView {
  channelNumber: string;
  accountID: string;
  /** Absolute URL of the AMR clip saying `微频道` + name. */
  channelNameURL: string;
  /** 1 open, 2 closed. */
  channelStatus: string;
  createTime: string;
  updateTime: string;
  pendingEdit: (PartnerContentView & { applyIdx: string; createTime: string }) | null;
}

export function microChannelInfo(channel: MicroChannel, pendingEdit: MicroChannelEdit | null): MicroChannelInfo {
  return {
    channelNumber: channel.channelNumber,
    accountID: channel.accountId,
    ...partnerContent(channel.content),
    channelNameURL: channel.voiceUrl,
    channelStatus: String(channel.status),
    createTime: unixSeconds(channel.createdAt),
    updateTime: unixSeconds(channel.updatedAt),
    pendingEdit: pendingEdit
      ? {
          applyIdx: pendingEdit.id,
          ...partnerContent(pendingEdit.content),
          createTime: unixSeconds(pendingEdit.createdAt),
        }
      : null,
  };
}

/* ------------------------------------------------------------------ admin console (JSON, numbers) */

export type AdminContentView = PartnerContentView;

export interface AdminChannelView extends AdminContentView {
  channelNumber: string;
  accountID: string;
  status: string;
  voiceURL: string;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface AdminEditView extends AdminContentView {
  applyIdx: string;
  channelNumber: string;
  accountID: string;
  status: string;
  reviewerAccountID: string | null;
  reviewedAt: number | null;
  checkRemark: string;
  voiceURL: string | null;
  createdAt: number | null;
}

export function adminChannel(channel: MicroChannel): AdminChannelView {
  return {
    channelNumber: channel.channelNumber,
    accountID: channel.accountId,
    ...partnerContent(channel.content),
    status: channelStatusName(channel.status),
    voiceURL: channel.voiceUrl,
    createdAt: unixSecondsNumber(channel.createdAt),
    updatedAt: unixSecondsNumber(channel.updatedAt),
  };
}

export function adminEdit(edit: MicroChannelEdit, channel: MicroChannel): AdminEditView {
  return {
    applyIdx: edit.id,
    channelNumber: channel.channelNumber,
    accountID: edit.accountId,
    ...partnerContent(edit.content),
    status: editStatusName(edit.status),
    reviewerAccountID: edit.reviewerAccountId,
    reviewedAt: unixSecondsNumber(edit.reviewedAt),
    checkRemark: edit.checkRemark,
    voiceURL: edit.voiceUrl,
    createdAt: unixSecondsNumber(edit.createdAt),
  };
}

const CONTENT_PARAM_NAMES: Record<keyof MicroChannelContent, keyof AdminContentView> = {
  name: 'channelName',
  introduction: 'channelIntroduction',
  chiefAnnouncerIntr: 'chiefAnnouncerIntr',
  cityCode: 'cityCode',
  cityName: 'cityName',
  catalogId: 'catalogID',
  catalogName: 'catalogName',
  logoUrl: 'logoURL',
  keyWords: 'keyWords',
};

/** An edit beside the live channel, with the fields it changes (named as in the views). */
export function adminEditDetail(detail: EditWithChannel): {
  edit: AdminEditView;
  channel: AdminChannelView;
  changes: string[];
} {
  return {
    edit: adminEdit(detail.edit, detail.channel),
    channel: adminChannel(detail.channel),
    changes: detail.changes.map((field) => CONTENT_PARAM_NAMES[field]),
  };
}
