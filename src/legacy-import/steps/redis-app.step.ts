import Redis from 'ioredis';
import { AccessTokenService } from '../../access/access-token.service';
import { PartnerAppService } from '../../access/partner-app.service';
import { ImportContext } from '../import-context';
import { skip } from '../import-report';
import { isAccountId, parseLegacyToken } from '../legacy-mapping';

const APP_KEY_INFO = /^(\d{1,10}):appKeyInfo$/;
const SECRET = /^[0-9A-Fa-f]{40}$/;
const TOKEN_FIELD = /^(.*):accessToken$/;

export interface CredentialServices {
  apps: PartnerAppService;
  tokens: AccessTokenService;
}

/** Whether the token is already a live token of that account in that app. */
async function tokenPresent(
  tokens: AccessTokenService,
  appKey: string,
  accountId: string,
  token: string,
): Promise<boolean> {
  try {
    await tokens.verify(appKey, accountId, token);
    return true;
  } catch {
    return false;
  }
}

/**
 * `<appKey>:appKeyInfo` hashes of the original's "public" Redis (ORIGINAL-BEHAVIOUR 1.2): each app with its
 * appKey and secret unchanged, and each `<accountID>:accessToken` field as a live token until its expiry, so a
 * device in the field keeps signing with what it has. Trusted apps (level -1) skipped the token check there;
 * here they are ordinary apps, listed so their devices get tokens before the switch.
 */
export async function importRedisApps(
  ctx: ImportContext,
  redisUrl: string,
  services: CredentialServices,
): Promise<void> {
  const apps = ctx.tally('apps');
  const tokens = ctx.tally('tokens');
  if (!ctx.dryRun && ctx.checkpoints.get('apps')?.done) {
    return;
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  await redis.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', '*:appKeyInfo', 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    keys.sort();
    // Apps are created through the service (which owns how a secret is stored), one by one and idempotently,
    // so this step is simply run again after an interruption instead of keeping a cursor.
    apps.read = apps.imported = apps.present = tokens.read = tokens.imported = tokens.present = 0;
    apps.skipped = {};
    tokens.skipped = {};
    apps.notes = [];
    const trusted: string[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (const key of keys) {
      apps.read++;
      const appKey = APP_KEY_INFO.exec(key)?.[1];
      const info = await redis.hgetall(key);
      if (!appKey) {
        skip(apps, 'appKey is not 1-10 digits', key);
        continue;
      }
      if (!SECRET.test(info.secret ?? '')) {
        skip(apps, 'secret is not 40 hex characters', key);
        continue;
      }
      // Byte for byte: devices sign with the secret exactly as they were given it (the signature is over its text).
      const secret = info.secret;
      if (info.level === '-1') {
        trusted.push(appKey);
      }
      const existing = await services.apps.findCredentials(appKey);
      if (existing && existing.secret !== secret) {
        skip(apps, 'appKey already exists here with another secret', key);
        continue;
      }
      if (existing) {
        apps.present++;
      } else {
        if (!ctx.dryRun) {
          await services.apps.create({ name: `legacy ${appKey}`, requireTimestamp: false, appKey, secret });
        }
        apps.imported++;
      }
      for (const [field, value] of Object.entries(info)) {
        const accountId = TOKEN_FIELD.exec(field)?.[1];
        if (accountId === undefined) {
          continue;
        }
        tokens.read++;
        const parsed = parseLegacyToken(value);
        const tokenKey = `${appKey}/${accountId}`;
        if (!isAccountId(accountId)) {
          skip(tokens, 'accountID is not 10 letters and digits', tokenKey);
        } else if (!parsed) {
          skip(tokens, 'value is not <32-char token>_<expiry>_<rangeBits>', tokenKey);
        } else if (parsed.expiresAt <= now) {
          skip(tokens, 'expired', tokenKey);
        } else if (existing && (await tokenPresent(services.tokens, appKey, accountId, parsed.token))) {
          tokens.present++;
        } else {
          await ctx.ensureAccounts(ctx.dryRun ? null : ctx.target.manager, [accountId]);
          if (!ctx.dryRun) {
            await services.tokens.issue(appKey, accountId, { accessToken: parsed.token, expiresAt: parsed.expiresAt });
          }
          tokens.imported++;
        }
      }
    }
    if (trusted.length > 0) {
      apps.notes.push(
        `trusted apps (level -1; the original skipped their token check, here they need tokens): ${trusted.join(', ')}`,
      );
    }
    await ctx.finishStep('apps', null);
    await ctx.finishStep('tokens', null);
  } finally {
    redis.disconnect();
  }
}
