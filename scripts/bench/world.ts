/**
 * The benchmark's data set, defined by formulas so the seed and the load generator agree on who owns
 * and belongs to what without asking the database: account n, channel i, its owner and members.
 */
import { createHash } from 'node:crypto';

export interface BenchScale {
  channels: number;
  membersPerChannel: number;
  accounts: number;
  owners: number;
  microEdits: number;
}

/** The scale of issue 9: 100,000 group channels, 1,000,000 memberships, 100,000 edits waiting for review. */
export const FULL_SCALE: BenchScale = {
  channels: 100_000,
  membersPerChannel: 10,
  accounts: 100_000,
  owners: 20_000,
  microEdits: 100_000,
};

export const BENCH_APP_KEY = '9000000001';
export const BENCH_APP_SECRET = createHash('sha1').update('channel-service-bench').digest('hex').toUpperCase();
export const GROUP_CATALOG_ID = '2000001';
export const MICRO_CATALOG_ID = '1000001';
/** Real GB/T 2260 codes, so answers carry real city names. */
export const CITIES: ReadonlyArray<[string, string]> = [
  ['110000', '北京市'],
  ['310000', '上海市'],
  ['440100', '广州市'],
  ['510100', '成都市'],
  ['0', '全国'],
];
export const REVIEWERS = 8;
/** One joiner per load-generator connection, so join/quit cycles never race each other. */
export const JOINERS = 64;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Seeded accounts: `u` + 9 digits. Accounts 0..owners-1 own channels, the rest are plain members. */
export function accountId(n: number): string {
  return `u${pad(n, 9)}`;
}

export function reviewerId(n: number): string {
  return `r${pad(n, 9)}`;
}

export function joinerId(n: number): string {
  return `j${pad(n, 9)}`;
}

/** The access token of a bench account: 32 [0-9a-f] characters derived from its id. */
export function tokenOf(account: string): string {
  return createHash('sha256').update(`bench-token:${account}`).digest('hex').slice(0, 32);
}

/** Group channel i (1-based) is row id i. */
export function channelNumber(i: number): string {
  return pad(i, 9);
}

export function uniqueCode(i: number): string {
  return `${channelNumber(i)}|${createHash('md5').update(`bench-code:${i}`).digest('hex')}`;
}

export function ownerOf(scale: BenchScale, i: number): number {
  return (i - 1) % scale.owners;
}

/** The k-th plain member (0-based, k < membersPerChannel - 1) of channel i: never an owner account. */
export function memberOf(scale: BenchScale, i: number, k: number): number {
  const plain = scale.accounts - scale.owners;
  return scale.owners + (((i - 1) * (scale.membersPerChannel - 1) + k) % plain);
}

/** Channels 1, 2, 3 of every 4 are public (openType 1). */
export function isPublic(i: number): boolean {
  return i % 4 !== 0;
}

export function cityOf(i: number): [string, string] {
  return CITIES[i % CITIES.length];
}

/** Micro channel j (1-based): number `m` + 8 digits, owned by account j-1, with one pending edit. */
export function microNumber(j: number): string {
  return `m${pad(j, 8)}`;
}
