import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PartnerAppService, signingSecrets } from '../../access/partner-app.service';
import { AppConfig } from '../../config/configuration';
import { SKIP_SIGNATURE_KEY } from '../decorators/partner.decorators';
import { PartnerError, RedisFailure } from '../errors/partner-error';
import { PartnerRequest } from '../partner/partner-request';
import { RedisService } from '../redis/redis.service';
import { computeSign, safeEqual } from '../signature/sign';
import { APP_KEY_PATTERN } from '../validation/partner-param.rules';

const SIGN_PATTERN = /^[0-9A-Fa-f]{40}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** An instance reserves this share of an app's per-second limit from Redis at a time (see checkRate). */
const LEASE_SHARE = 20;
const LEASE_MAX = 50;

interface RateLease {
  second: number;
  left: number;
}

/**
 * Global guard of every partner route (deny by default; @SkipSignature opts a controller out).
 * Order (API.md 3.2, 3.3, 9): body problems, appKey format, known app, sign format, sign value,
 * replay window and nonce, the app's request rate.
 */
@Injectable()
export class SignatureGuard implements CanActivate {
  private readonly leases = new Map<string, RateLease>();
  /** The reservation in flight per app, so requests arriving together share one round trip. */
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly apps: PartnerAppService,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(SKIP_SIGNATURE_KEY, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const partner = context.switchToHttp().getRequest<PartnerRequest>().partner;
    if (!partner) {
      throw new PartnerError('ME01022');
    }
    if (partner.parseError) {
      throw partner.parseError;
    }
    const params = partner.params;
    const appKey = params.appKey;
    if (appKey === undefined || !APP_KEY_PATTERN.test(appKey)) {
      throw PartnerError.badParam('appKey');
    }
    const app = await this.apps.findCredentials(appKey);
    if (!app || !app.enabled) {
      throw new PartnerError('ME01002');
    }
    const sign = params.sign;
    if (sign === undefined || !SIGN_PATTERN.test(sign)) {
      throw PartnerError.badParam('sign');
    }
    // After a rotation the previous secret signs too, until its grace period ends (API.md 10).
    const upper = sign.toUpperCase();
    if (!signingSecrets(app).some((secret) => safeEqual(upper, computeSign(params, secret)))) {
      throw new PartnerError('ME01019');
    }
    if (app.requireTimestamp || params.timestamp !== undefined || params.nonce !== undefined) {
      await this.checkReplay(appKey, params.timestamp, params.nonce);
    }
    await this.checkRate(appKey);
    partner.appKey = appKey;
    return true;
  }

  private async checkReplay(appKey: string, timestamp?: string, nonce?: string): Promise<void> {
    if (timestamp === undefined || !TIMESTAMP_PATTERN.test(timestamp)) {
      throw PartnerError.badParam('timestamp');
    }
    if (nonce === undefined || !NONCE_PATTERN.test(nonce)) {
      throw PartnerError.badParam('nonce');
    }
    const window = this.config.signature.windowSeconds;
    if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > window) {
      throw new PartnerError('ME01025');
    }
    // Kept for twice the window: a timestamp may be up to one window ahead of the clock.
    const fresh = await this.redis.run((r) => r.set(`nonce:${appKey}:${nonce}`, '1', 'EX', window * 2, 'NX'));
    if (fresh !== 'OK') {
      throw new PartnerError('ME01026');
    }
  }

  /**
   * The per-app rate (API.md 9) over every instance: one Redis counter per app and second. Rather than
   * one round trip per request, an instance reserves a block of the second's allowance (INCRBY) and
   * admits requests from it locally; the block is cut to what still fits under the limit, so the sum
   * admitted by all instances in a second never exceeds it. The price: an instance may hold a few
   * unused units at the end of a second (at most limit/20, and none for limits under 40), so another
   * instance can be refused slightly before the limit. Leases expire with their second.
   */
  private async checkRate(appKey: string): Promise<void> {
    for (;;) {
      const second = Math.floor(Date.now() / 1000);
      const lease = this.leases.get(appKey);
      // Only while Redis is connected: with Redis down every partner request answers ME01021 (API.md 2).
      if (lease?.second === second && lease.left > 0 && this.redis.client.status === 'ready') {
        lease.left--;
        return;
      }
      const inFlight = this.reserving.get(appKey);
      if (!inFlight) {
        break;
      }
      // Another request is reserving for this app: wait for its block, then take from it (or reserve anew).
      // Its failure is this request's too (Redis failed, or this second's allowance is gone), so a slow
      // Redis fails every waiter at once instead of one timeout after another.
      await inFlight;
    }
    const reservation = this.reserve(appKey);
    this.reserving.set(appKey, reservation);
    try {
      await reservation;
    } finally {
      this.reserving.delete(appKey);
    }
  }

  /** Reserves a block of this second's allowance; this request takes one unit, the rest is leased. */
  private async reserve(appKey: string): Promise<void> {
    const second = Math.floor(Date.now() / 1000);
    const limit = this.config.signature.rateLimitPerSecond;
    const block = Math.max(1, Math.min(LEASE_MAX, Math.floor(limit / LEASE_SHARE)));
    const key = `rate:${appKey}:${second}`;
    const results = await this.redis.run((r) => r.multi().incrby(key, block).expire(key, 2).exec());
    const [incrErr, count] = results?.[0] ?? [new Error('no reply'), 0];
    if (incrErr) {
      throw new RedisFailure(incrErr);
    }
    const granted = Math.min(block, limit - (Number(count) - block));
    if (granted <= 0) {
      throw new PartnerError('ME01027');
    }
    const current = this.leases.get(appKey);
    if (current?.second === second) {
      current.left += granted - 1;
    } else {
      if (this.leases.size > 10_000) {
        this.leases.clear();
      }
      this.leases.set(appKey, { second, left: granted - 1 });
    }
  }
}
