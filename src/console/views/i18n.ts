import { ErrorCode, errorMessage } from '../../common/errors/error-codes';

export type Lang = 'zh' | 'en';

/** Every text of the console, Simplified Chinese first. `{name}` marks a value filled in by `t`. */
const TEXTS = {
  appName: ['频道服务控制台', 'Channel service console'],
  skipToMain: ['跳到正文', 'Skip to content'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['Switch to English', '切换到中文'],
  signedInAs: ['已登录：{id}', 'Signed in: {id}'],
  signOut: ['退出', 'Sign out'],
  navQueue: ['审核队列', 'Review queue'],
  navChannels: ['群聊频道', 'Group channels'],
  navInvitations: ['邀请', 'Invitations'],
  navQueueBoard: ['任务队列面板', 'Queue board'],
  roleReviewer: ['审核员', 'reviewer'],
  roleOperator: ['运营', 'operator'],
  signInTitle: ['登录', 'Sign in'],
  signInIntro: [
    '审核员与运营人员使用账号 ID 和控制台密码登录。',
    'Reviewers and operators sign in with their account ID and console password.',
  ],
  accountId: ['账号 ID', 'Account ID'],
  password: ['密码', 'Password'],
  signInButton: ['登录', 'Sign in'],
  signInInvalid: [
    '账号或密码不正确。再错 {n} 次，登录将锁定 15 分钟。',
    'Wrong account or password. {n} more failures lock sign-in for 15 minutes.',
  ],
  signInLocked: [
    '连续失败 5 次，该账号的控制台登录已锁定，请 {m} 分钟后再试。',
    'Five failures in a row: console sign-in of this account is locked. Try again in {m} minutes.',
  ],
  signInNoRole: [
    '该账号没有审核员或运营角色，不能使用控制台。',
    'This account has neither the reviewer nor the operator role and cannot use the console.',
  ],
  signInExpired: ['请先登录（会话已过期或已退出）。', 'Please sign in (the session ended or expired).'],
  csrfFailed: [
    '表单已失效（CSRF 校验失败），请刷新页面后重试。',
    'The form expired (CSRF check failed). Reload the page and try again.',
  ],
  forbidden: ['你的角色不能打开此页面。', 'Your role cannot open this page.'],
  notFound: ['没有找到。', 'Not found.'],
  badRequest: ['请求有误：{detail}', 'Bad request: {detail}'],
  serverError: ['服务暂时出错，请稍后再试。', 'The service failed; try again later.'],
  backToConsole: ['返回控制台', 'Back to the console'],
  // review queue
  queueTitle: ['审核队列', 'Review queue'],
  queueEdits: ['频道修改', 'Channel edits'],
  queueApplications: ['新频道申请', 'New channel applications'],
  filters: ['筛选', 'Filters'],
  filterCity: ['城市代码', 'City code'],
  filterCatalog: ['分类 ID', 'Catalog ID'],
  filterName: ['名称包含', 'Name contains'],
  filterNumber: ['频道号包含', 'Number contains'],
  filterPageCount: ['每页条数', 'Per page'],
  applyFilters: ['筛选', 'Apply'],
  clearFilters: ['清除', 'Clear'],
  oldestFirst: ['按提交时间排序，最早的在前。', 'Oldest first.'],
  colApplyIdx: ['编号', 'No.'],
  colNumber: ['频道号', 'Number'],
  colName: ['名称', 'Name'],
  colCity: ['城市', 'City'],
  colCatalog: ['分类', 'Catalog'],
  colOwner: ['所有者', 'Owner'],
  colSubmitted: ['提交时间', 'Submitted'],
  colChanges: ['修改的字段', 'Changed fields'],
  colAction: ['操作', 'Action'],
  review: ['审核', 'Review'],
  emptyQueue: ['没有待审核的内容。', 'Nothing waiting for review.'],
  pageOf: ['第 {page} / {pages} 页，共 {total} 条', 'Page {page} of {pages}, {total} in all'],
  prevPage: ['上一页', 'Previous'],
  nextPage: ['下一页', 'Next'],
  findMicro: ['按频道号打开微频道', 'Open a micro channel by number'],
  open: ['打开', 'Open'],
  // detail
  editTitle: ['修改 #{id} · {number}', 'Edit #{id} · {number}'],
  applicationTitle: ['申请 #{id} · {number}', 'Application #{id} · {number}'],
  microTitle: ['微频道 {number}', 'Micro channel {number}'],
  field: ['字段', 'Field'],
  live: ['当前（线上）', 'Live now'],
  proposed: ['修改后', 'Proposed'],
  value: ['内容', 'Value'],
  changed: ['已修改', 'changed'],
  changedSummary: ['本次修改了 {n} 个字段。', '{n} fields change.'],
  noChanges: ['与线上内容相同。', 'Same as the live content.'],
  status: ['状态', 'Status'],
  owner: ['所有者', 'Owner'],
  submitted: ['提交时间', 'Submitted'],
  reviewedBy: ['审核人', 'Reviewed by'],
  remark: ['备注', 'Remark'],
  spokenName: ['频道名语音', 'Spoken name'],
  spokenNameHint: [
    '朗读“微频道”加频道名。通过修改时会按新名称重新合成。',
    'Says 微频道 + the name. Approving an edit synthesises the new name first.',
  ],
  spokenNameLater: ['通过申请时合成“微频道”加频道名的语音。', 'Approving synthesises 微频道 + the name.'],
  noVoice: ['没有语音', 'No clip'],
  logo: ['标志', 'Logo'],
  logoOf: ['{name} 的标志', 'Logo of {name}'],
  noLogo: ['未设置标志', 'No logo'],
  decision: ['审核决定', 'Decision'],
  remarkLabel: [
    '备注（可选，最多 64 字，会告知所有者）',
    'Remark (optional, at most 64 characters, shown to the owner)',
  ],
  approve: ['通过', 'Approve'],
  reject: ['驳回', 'Reject'],
  decided: ['已处理，不能再审核。', 'Already decided.'],
  channelClosedNote: [
    '频道已关闭，重新开启后才能审核它的修改。',
    'The channel is closed; reopen it to decide its edits.',
  ],
  channelControls: ['频道状态', 'Channel status'],
  closeChannel: ['关闭频道', 'Close channel'],
  reopenChannel: ['重新开启频道', 'Reopen channel'],
  statusRemarkLabel: ['备注（可选，最多 64 字）', 'Remark (optional, at most 64 characters)'],
  pendingEdit: ['待审核的修改', 'Pending edit'],
  noPendingEdit: ['没有待审核的修改。', 'No pending edit.'],
  history: ['审核记录', 'History'],
  done_approved: ['已通过。', 'Approved.'],
  done_rejected: ['已驳回。', 'Rejected.'],
  done_closed: ['频道已关闭。', 'Channel closed.'],
  done_reopened: ['频道已重新开启。', 'Channel reopened.'],
  refused: ['服务拒绝了这个操作：', 'The service refused:'],
  // operator
  channelsTitle: ['群聊频道', 'Group channels'],
  searchChannels: ['频道号或名称', 'Number or name'],
  search: ['查找', 'Search'],
  colMembers: ['成员', 'Members'],
  colCreated: ['创建时间', 'Created'],
  emptySearch: ['没有符合条件的频道。', 'No channel matches.'],
  searchHint: ['输入频道号（数字）或名称的一部分。', 'Type a channel number (digits) or part of a name.'],
  channelTitle: ['群聊频道 {number} · {name}', 'Group channel {number} · {name}'],
  introduction: ['简介', 'Introduction'],
  city: ['城市', 'City'],
  catalog: ['分类', 'Catalog'],
  openType: ['公开', 'Public'],
  isVerify: ['加入需审批', 'Joins need approval'],
  capacity: ['容量', 'Capacity'],
  memberCount: ['成员数', 'Members'],
  created: ['创建时间', 'Created'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  members: ['成员', 'Members'],
  colAccount: ['账号', 'Account'],
  colNickname: ['昵称', 'Nickname'],
  colRole: ['角色', 'Role'],
  colMemberStatus: ['状态', 'Status'],
  colJoined: ['加入时间', 'Joined'],
  colActive: ['在频道中', 'In channel'],
  noMembers: ['没有成员。', 'No members.'],
  auditTrail: ['操作记录', 'Audit trail'],
  colTime: ['时间', 'Time'],
  colActor: ['操作人', 'Actor'],
  colWhat: ['操作', 'Action'],
  colEntity: ['对象', 'Subject'],
  colDetail: ['变化', 'Change'],
  noAudit: ['没有记录。', 'No entries.'],
  viaConsole: ['控制台', 'console'],
  system: ['系统', 'system'],
  timesInCst: ['时间均为北京时间（UTC+8）。', 'Times are China Standard Time (UTC+8).'],
  invitationsTitle: ['邀请与投递状态', 'Invitations and their delivery'],
  filterTempChannel: ['临时频道 ID', 'Temp channel ID'],
  filterSender: ['发送者账号', 'Sender account'],
  filterReceiver: ['接收者账号', 'Receiver account'],
  colInvitation: ['邀请', 'Invitation'],
  colSender: ['发送者', 'Sender'],
  colReceiver: ['接收者', 'Receiver'],
  colTempChannel: ['临时频道', 'Temp channel'],
  colDelivery: ['微博投递', 'Weibo delivery'],
  colAccepted: ['接受时间', 'Accepted'],
  colCallback: ['合作方回调', 'Partner callback'],
  attempts: ['尝试 {n} 次', '{n} attempts'],
  noInvitations: ['没有邀请。', 'No invitations.'],
  queueBoardIntro: [
    '任务队列面板（语音合成、微博投递、合作方回调）',
    'Queue board (speech synthesis, Weibo posts, partner callbacks)',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof TEXTS;

export function t(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
  const text: string = TEXTS[key][lang === 'zh' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Status words for values the service stores as codes. */
const STATUS_WORDS: Record<string, readonly [string, string]> = {
  pending: ['待审核', 'pending'],
  approved: ['已通过', 'approved'],
  rejected: ['已驳回', 'rejected'],
  superseded: ['已被新修改取代', 'superseded'],
  open: ['开启', 'open'],
  closed: ['已关闭', 'closed'],
  'secret:1': ['正常', 'normal'],
  'secret:2': ['已关闭', 'closed'],
  'secret:3': ['已解散', 'dissolved'],
  'member:1': ['正常', 'normal'],
  'member:2': ['禁言', 'muted'],
  'member:3': ['黑名单', 'blacklisted'],
  'member:4': ['待审批', 'pending approval'],
  'role:owner': ['群主', 'owner'],
  'role:admin': ['管理员', 'admin'],
  'role:member': ['成员', 'member'],
  'delivery:queued': ['排队中', 'queued'],
  'delivery:sent': ['已发送', 'sent'],
  'delivery:failed': ['失败', 'failed'],
  'callback:none': ['未接受', 'not accepted'],
  'callback:queued': ['排队中', 'queued'],
  'callback:delivered': ['已送达', 'delivered'],
  'callback:failed': ['失败', 'failed'],
};

export function statusWord(lang: Lang, status: string): string {
  const words = STATUS_WORDS[status];
  return words ? words[lang === 'zh' ? 0 : 1] : status;
}

/** The content fields of a micro channel, named for people. */
export const FIELD_LABELS: Record<string, readonly [string, string]> = {
  channelName: ['名称', 'Name'],
  channelIntroduction: ['简介', 'Introduction'],
  chiefAnnouncerIntr: ['主播介绍', 'Chief announcer'],
  cityCode: ['城市代码', 'City code'],
  cityName: ['城市', 'City'],
  catalogID: ['分类 ID', 'Catalog ID'],
  catalogName: ['分类', 'Catalog'],
  logoURL: ['标志地址', 'Logo URL'],
  keyWords: ['关键词', 'Keywords'],
};

export function fieldLabel(lang: Lang, field: string): string {
  return FIELD_LABELS[field]?.[lang === 'zh' ? 0 : 1] ?? field;
}

/** What a refusal means for the person at the console, beside the service's own ME code and message. */
const REFUSALS: Partial<Record<ErrorCode, readonly [string, string]>> = {
  ME18307: [
    '语音合成失败，什么都没有改变。请稍后再试；持续失败时请检查语音合成服务。',
    'Speech synthesis failed and nothing was changed. Try again later; if it persists, check the TTS service.',
  ],
  ME18104: [
    '已被处理过（或被所有者的新修改取代），请刷新队列。',
    'Already decided (or superseded by a newer edit from the owner). Refresh the queue.',
  ],
  ME18109: ['频道不存在或已关闭。', 'The channel does not exist or is closed.'],
  ME18306: ['你的账号没有这个操作需要的角色。', 'Your account lacks the role this action needs.'],
  ME18105: ['频道已经是这个状态。', 'The channel already has that status.'],
  ME18053: ['账号不存在。', 'The account does not exist.'],
  ME01023: ['参数有误。', 'A parameter is invalid.'],
  ME01020: ['数据库暂时不可用。', 'The database is unavailable.'],
  ME01021: ['Redis 暂时不可用。', 'Redis is unavailable.'],
  ME01022: ['服务内部错误。', 'Internal error.'],
};

export interface Refusal {
  code: ErrorCode;
  message: string;
  explanation: string;
}

export function refusal(lang: Lang, code: ErrorCode, param?: string): Refusal {
  const words = REFUSALS[code];
  return { code, message: errorMessage(code, param), explanation: words ? words[lang === 'zh' ? 0 : 1] : '' };
}

/** Times shown in China Standard Time, the reviewers' clock, whatever the server's zone. */
export function formatTime(date: Date | null | undefined): string {
  if (!date) {
    return '—';
  }
  const shifted = new Date(date.getTime() + 8 * 3600 * 1000);
  return shifted.toISOString().slice(0, 16).replace('T', ' ');
}
