/**
 * The scenarios of issue 9 as autocannon request generators: every request picks a random channel,
 * caller or page, is signed like a partner app signs it, and every answer's ERRORCODE is checked
 * against what the scenario expects (an envelope error is HTTP 200, so the status alone proves nothing).
 */
import type { Request as CannonRequest } from 'autocannon';
import { computeSign } from '../../src/common/signature/sign';
import {
  accountId,
  BENCH_APP_KEY,
  BENCH_APP_SECRET,
  BenchScale,
  channelNumber,
  CITIES,
  isPublic,
  JOINERS,
  joinerId,
  memberOf,
  MICRO_CATALOG_ID,
  ownerOf,
  REVIEWERS,
  reviewerId,
  tokenOf,
  uniqueCode,
} from './world';

export type Target = 'http' | 'nest' | 'pipeline' | 'service';

/** What one scenario saw: answers by code, and the first few unexpected ones verbatim. */
export class Tally {
  readonly codes: Record<string, number> = {};
  unexpected = 0;
  readonly samples: string[] = [];

  reset(): void {
    for (const code of Object.keys(this.codes)) {
      delete this.codes[code];
    }
    this.unexpected = 0;
    this.samples.length = 0;
  }

  record(code: string, expected: boolean, body: string): void {
    this.codes[code] = (this.codes[code] ?? 0) + 1;
    if (!expected) {
      this.unexpected++;
      if (this.samples.length < 5) {
        this.samples.push(body.slice(0, 300));
      }
    }
  }
}

export interface Scenario {
  key: string;
  name: string;
  target: Target;
  requests: CannonRequest[];
  tally: Tally;
  /** Target ratio to the bare NestJS route (issue 9), when the issue sets one. */
  target_ratio?: number;
  /** p99 bound in ms, when the issue sets one. */
  p99_bound_ms?: number;
  /** The key of the bare-pipeline scenario of the same request shape, when there is one. */
  ceiling?: string;
}

const rand = (n: number): number => Math.floor(Math.random() * n);
/** Distinct accounts calling during a run (see buildScenarios). */
export const ACTIVE_CALLERS = 5000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function signed(params: Record<string, string>): string {
  const withApp = { appKey: BENCH_APP_KEY, ...params };
  return new URLSearchParams({ ...withApp, sign: computeSign(withApp, BENCH_APP_SECRET) }).toString();
}

function as(account: string): Record<string, string> {
  return { accountID: account, accessToken: tokenOf(account) };
}

/** A POST to a partner route whose params come from `build` (per request), expecting `codes`. */
function partner(
  tally: Tally,
  route: string,
  codes: string[],
  build: (context: Record<string, unknown>) => string,
  onAnswer?: (code: string, context: Record<string, unknown>) => void,
): CannonRequest {
  return {
    method: 'POST',
    path: `/clientcustom/v2/${route}`,
    headers: FORM,
    setupRequest: (req, context) => ({ ...req, body: build(context as Record<string, unknown>) }),
    onResponse: (status, body, context) => {
      let code = `HTTP ${status}`;
      if (status === 200) {
        try {
          code = String((JSON.parse(body) as { ERRORCODE?: unknown }).ERRORCODE);
        } catch {
          code = 'not JSON';
        }
      }
      tally.record(code, codes.includes(code), body);
      onAnswer?.(code, context as Record<string, unknown>);
    },
  };
}

function plainGet(tally: Tally, path: string): CannonRequest {
  return {
    method: 'GET',
    path,
    onResponse: (status, body) => tally.record(`HTTP ${status}`, status === 200, body),
  };
}

/** A pool of values one load-generator connection holds for a whole request cycle, so cycles never race. */
class Pool<T> {
  private readonly free: T[];
  constructor(items: T[]) {
    this.free = [...items];
  }
  take(): T {
    const item = this.free.splice(rand(this.free.length), 1)[0];
    if (item === undefined) {
      throw new Error('bench pool exhausted: more connections than pooled items');
    }
    return item;
  }
  give(item: T): void {
    this.free.push(item);
  }
}

export interface ScenarioOptions {
  scale: BenchScale;
  /** Fresh accounts (with tokens) that own nothing yet, for the apply scenario. */
  appliers: string[];
}

export function buildScenarios({ scale, appliers }: ScenarioOptions): Scenario[] {
  const list: Scenario[] = [];
  const add = (s: Omit<Scenario, 'tally' | 'requests'>, make: (t: Tally) => CannonRequest[]): void => {
    const tally = new Tally();
    list.push({ ...s, tally, requests: make(tally) });
  };
  const anyChannel = (): number => 1 + rand(scale.channels);
  // Devices poll: the callers of a 10-second window are a few thousand of the 100,000 accounts, spread
  // over owners and plain members alike (each channel is still random among all 100,000).
  const step = scale.accounts / ACTIVE_CALLERS;
  const anyAccount = (): string => accountId(rand(ACTIVE_CALLERS) * step);
  const anyPlainMember = (): string => accountId(scale.owners + rand((scale.accounts - scale.owners) / step) * step);
  const reviewer = (): string => reviewerId(rand(REVIEWERS));
  /** Public channels have a page of 20 for every one of the first 500 pages at this scale. */
  const page = (deep: boolean): string => String(deep ? 500 : 1);

  add({ key: 'bare-http', name: 'bare node:http, constant JSON', target: 'http' }, (t) => [plainGet(t, '/')]);
  add({ key: 'bare-nest', name: 'bare NestJS 11 (Express), one GET route', target: 'nest' }, (t) => [
    plainGet(t, '/ping'),
  ]);
  add({ key: 'health', name: 'GET /health/live', target: 'service', target_ratio: 0.9 }, (t) => [
    plainGet(t, '/health/live'),
  ]);
  const badSign = (): string =>
    new URLSearchParams({
      appKey: BENCH_APP_KEY,
      ...as(anyAccount()),
      channelNumber: channelNumber(anyChannel()),
      sign: '0'.repeat(40),
    }).toString();
  const badChannel = (): string => signed({ ...as(anyAccount()), channelNumber: 'x1' });
  // The framework's ceiling for these two request shapes (scripts/bench/bare-nest-pipeline.ts).
  add(
    { key: 'bare-pipeline-sign', name: 'bare NestJS partner pipeline, refused at the sign', target: 'pipeline' },
    (t) => [partner(t, 'getSecretChannelInfo', ['ME01019'], badSign)],
  );
  add(
    {
      key: 'bare-pipeline-param',
      name: 'bare NestJS partner pipeline, both guards pass, channelNumber malformed',
      target: 'pipeline',
    },
    (t) => [partner(t, 'getSecretChannelInfo', ['ME01023'], badChannel)],
  );
  add(
    {
      key: 'me01019',
      name: 'refused at the signature (ME01019)',
      target: 'service',
      target_ratio: 0.85,
      ceiling: 'bare-pipeline-sign',
    },
    (t) => [partner(t, 'getSecretChannelInfo', ['ME01019'], badSign)],
  );
  add(
    {
      key: 'me01023',
      name: 'both guards pass, channelNumber malformed (ME01023)',
      target: 'service',
      target_ratio: 0.75,
      ceiling: 'bare-pipeline-param',
    },
    (t) => [partner(t, 'getSecretChannelInfo', ['ME01023'], badChannel)],
  );
  add(
    {
      key: 'info',
      name: 'getSecretChannelInfo, random channel and caller',
      target: 'service',
      target_ratio: 0.5,
      p99_bound_ms: 30,
    },
    (t) => [
      partner(t, 'getSecretChannelInfo', ['0'], () =>
        signed({ ...as(anyAccount()), channelNumber: channelNumber(anyChannel()) }),
      ),
    ],
  );
  for (const deep of [false, true]) {
    add(
      {
        key: deep ? 'fetch1-deep' : 'fetch1',
        name: `fetchSecretChannel infoType 1, page ${page(deep)} of 20${deep ? '' : ', some with a city filter'}`,
        target: 'service',
        target_ratio: 0.35,
      },
      (t) => [
        partner(t, 'fetchSecretChannel', ['0'], () => {
          const city: Record<string, string> =
            !deep && rand(2) === 0 ? { cityCode: CITIES[rand(CITIES.length)][0] } : {};
          return signed({ ...as(anyAccount()), infoType: '1', startPage: page(deep), pageCount: '20', ...city });
        }),
      ],
    );
  }
  add(
    {
      key: 'fetch3',
      name: 'fetchSecretChannel infoType 3 (joined), random caller',
      target: 'service',
      target_ratio: 0.35,
    },
    (t) => [partner(t, 'fetchSecretChannel', ['0'], () => signed({ ...as(anyPlainMember()), infoType: '3' }))],
  );

  add(
    {
      key: 'members',
      name: 'fetchSecretChannelMembers, a member of a random channel',
      target: 'service',
    },
    (t) => [
      partner(t, 'fetchSecretChannelMembers', ['0'], () => {
        const i = anyChannel();
        const who = accountId(memberOf(scale, i, rand(scale.membersPerChannel - 1)));
        return signed({ ...as(who), channelNumber: channelNumber(i), startPage: '1', pageCount: '20' });
      }),
    ],
  );

  // Mute then unmute one random member: a channel is held by one connection for the whole cycle.
  const busyChannels = new Set<number>();
  const claimChannel = (): number => {
    for (;;) {
      const i = anyChannel();
      if (!busyChannels.has(i)) {
        busyChannels.add(i);
        return i;
      }
    }
  };
  add(
    {
      key: 'manage',
      name: 'manageSecretChannelUsers, mute then unmute a random member',
      target: 'service',
      target_ratio: 0.25,
    },
    (t) => {
      const body = (context: Record<string, unknown>, curStatus: string): string => {
        const i = context.channel as number;
        return signed({
          ...as(accountId(ownerOf(scale, i))),
          channelNumber: channelNumber(i),
          infoType: '2',
          curStatus,
          userAccountID: accountId(context.member as number),
        });
      };
      return [
        partner(t, 'manageSecretChannelUsers', ['0'], (context) => {
          const i = claimChannel();
          context.channel = i;
          context.member = memberOf(scale, i, rand(scale.membersPerChannel - 1));
          return body(context, '2');
        }),
        partner(
          t,
          'manageSecretChannelUsers',
          ['0'],
          (context) => body(context, '1'),
          (_code, context) => busyChannels.delete(context.channel as number),
        ),
      ];
    },
  );

  const joiners = new Pool(Array.from({ length: JOINERS }, (_, n) => joinerId(n)));
  add(
    { key: 'join-quit', name: 'joinSecretChannel + quitSecretChannel cycle', target: 'service', target_ratio: 0.15 },
    (t) => [
      partner(t, 'joinSecretChannel', ['0'], (context) => {
        context.joiner = joiners.take();
        context.channel = anyChannel();
        return signed({ ...as(context.joiner as string), uniqueCode: uniqueCode(context.channel as number) });
      }),
      partner(
        t,
        'quitSecretChannel',
        ['0'],
        (context) =>
          signed({ ...as(context.joiner as string), channelNumber: channelNumber(context.channel as number) }),
        (_code, context) => joiners.give(context.joiner as string),
      ),
    ],
  );

  for (const deep of [false, true]) {
    add(
      {
        key: deep ? 'recheck-deep' : 'recheck',
        name: `recheckMicroChannel infoType 1, page ${page(deep)} of 20, random filters`,
        target: 'service',
        target_ratio: 0.25,
      },
      (t) => [
        partner(t, 'recheckMicroChannel', ['0'], () => {
          const filters: Record<string, string> = {};
          const pick = rand(4);
          if (pick === 1 || pick === 3) {
            filters.catalogID = MICRO_CATALOG_ID;
          }
          // One city holds a fifth of the edits: page 500 exists for "no filter" and "catalog" only.
          if (pick >= 2 && !deep) {
            filters.cityCode = CITIES[rand(CITIES.length)][0];
          }
          const who = reviewer();
          return signed({
            checkAccountID: who,
            accessToken: tokenOf(who),
            infoType: '1',
            startPage: page(deep),
            pageCount: '20',
            ...filters,
          });
        }),
      ],
    );
  }

  // Each applier owns nothing yet and applies at most 10 times (MAX_CHANNELS_PER_USER), each name new.
  let nextApply = 0;
  add({ key: 'apply', name: 'applySecretChannel, a new channel each', target: 'service' }, (t) => [
    partner(t, 'applySecretChannel', ['0'], () => {
      const n = nextApply++;
      const owner = appliers[Math.floor(n / 10) % appliers.length];
      return signed({
        ...as(owner),
        channelName: `新频道${n % 10}`,
        channelIntroduction: '压测申请的频道',
        channelCityCode: '110000',
        channelCatalogID: '2000001',
        openType: isPublic(n) ? '1' : '0',
      });
    }),
  ]);
  return list;
}
