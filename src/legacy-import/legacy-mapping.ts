import { randomBytes } from 'node:crypto';
import { ACCOUNT_ID_PATTERN } from '../access/account.service';
import { CATALOG_ID_PATTERN, charCount, CITY_CODE_PATTERN } from '../common/validation/partner-param.rules';
import { MemberRole, MemberStatus } from '../secret-channel/entities/secret-channel-member.entity';

/*
 * Pure rules that turn one row of the original WEMECustom tables (ORIGINAL-BEHAVIOUR.md 2.1) into what this
 * service stores, or into the reason it cannot come over. The steps do the I/O; everything decided about a
 * single value is here, so it is tested without a database.
 */

/** Numbers the service's own sequence could also produce: they keep their value as the row id. */
export const SEQUENCE_CHANNEL_NUMBER = /^\d{9,10}$/;
/** Micro channel numbers as the target column holds them (the original allowed 5-16 free-form characters). */
export const LEGACY_MICRO_NUMBER = /^[A-Za-z0-9]{1,15}$/;

/** Imported rows carry no app (the original did not record which app created a channel). */
export const LEGACY_APP_KEY = '';

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

/** `value` cut to at most `max` characters (code points, as charCount counts them), and whether it was cut. */
export function cutToChars(value: string, max: number): { text: string; cut: boolean } {
  const points = [...value];
  return { text: points.slice(0, max).join(''), cut: points.length > max };
}

/** Unix seconds of the original to a Date; 0 or garbage falls back to `fallback`. */
export function fromUnix(seconds: unknown, fallback: Date): Date {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : fallback;
}

/** A scalar column value as text (mysql2 hands over strings and numbers; NULL is empty). */
function asText(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : '';
}

/** The first reason a text field cannot be stored, or null. */
export function textProblem(field: string, value: unknown, min: number, max: number): string | null {
  const n = charCount(asText(value));
  return n < min || n > max ? `${field} has ${n} characters (allowed ${min}-${max})` : null;
}

export function cityCodeOf(value: unknown): string | null {
  const code = asText(value);
  return CITY_CODE_PATTERN.test(code) ? code : null;
}

export function catalogIdOf(value: unknown): string | null {
  const id = asText(value);
  return CATALOG_ID_PATTERN.test(id) ? id : null;
}

/** joinMemberList.role: 0 member, 1 creator, 2 admin; the channel's owner is the owner whatever the row says. */
export function memberRoleOf(legacyRole: number, accountId: string, ownerAccountId: string): MemberRole {
  if (accountId === ownerAccountId) {
    return 'owner';
  }
  return Number(legacyRole) === 2 ? 'admin' : 'member';
}

/**
 * joinMemberList.talkStatus to a member status. A pending request (4) is only pending while the row is valid:
 * a quit row with 4 is an abandoned request and comes back as a normal, inactive row.
 */
export function memberStatusOf(talkStatus: number, active: boolean): MemberStatus | null {
  const statuses: MemberStatus[] = [
    MemberStatus.Normal,
    MemberStatus.Muted,
    MemberStatus.Blacklisted,
    MemberStatus.Pending,
  ];
  const status = statuses.find((s) => Number(s) === Number(talkStatus));
  if (status === undefined) {
    return null;
  }
  return status === MemberStatus.Pending && !active ? MemberStatus.Normal : status;
}

/** The bit of joinMemberList.actionType that marks a device key bound to the channel: 2^(key-1). */
export function keyBit(actionType: number): number {
  return 1 << (actionType - 1);
}

/** `<number>|<32 lowercase hex>`; the original's codes come over verbatim when they have this shape. */
export function isUniqueCodeOf(code: unknown, channelNumber: string): boolean {
  return typeof code === 'string' && new RegExp(`^${channelNumber}\\|[0-9a-f]{32}$`).test(code);
}

export function freshUniqueCode(channelNumber: string): string {
  return `${channelNumber}|${randomBytes(16).toString('hex')}`;
}

/** The id a legacy channel keeps: its number for sequence-shaped numbers, else one the database assigns. */
export function channelIdOf(channelNumber: string): string | null {
  return SEQUENCE_CHANNEL_NUMBER.test(channelNumber) && Number(channelNumber) > 0
    ? String(Number(channelNumber))
    : null;
}

/** checkMicroChannelInfo.channelStatus: 1 normal, 2 edit under re-review (still open), 3 closed. */
export function microStatusOf(legacy: number): 1 | 2 | null {
  switch (Number(legacy)) {
    case 1:
    case 2:
      return 1;
    case 3:
      return 2;
    default:
      return null;
  }
}

/** One `<appKey>:appKeyInfo` token field value `<token>_<expiryUnixSeconds>_<rangeBits>` (ORIGINAL-BEHAVIOUR 1.2). */
export function parseLegacyToken(value: string): { token: string; expiresAt: number } | null {
  const match = /^([A-Za-z0-9]{32})_(\d{1,12})_([01]*)$/.exec(value);
  return match ? { token: match[1], expiresAt: Number(match[2]) } : null;
}
