import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PartnerAppService } from '../../access/partner-app.service';
import { AppConfig } from '../../config/configuration';
import { SKIP_SIGNATURE_KEY } from '../decorators/partner.decorators';
import { PartnerError, RedisFailure } from '../errors/partner-error';
import { PartnerRequest } from '../partner/partner-request';
import { RedisService } from '../redis/redis.service';
import { computeSign, safeEqual } from '../signature/sign';

const APP_KEY_PATTERN = /^\d{1,10}$/;
const SIGN_PATTERN = /^[0-9A-Fa-f]{40}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Global guard of every partner route (deny by default; @SkipSignature opts a controller out).
 * Order (API.md 3.2, 3.3, 9): body problems, appKey format, known app, sign format, sign value,
 * replay window and nonce, the app's request rate.
 */
@Injectable()
export class SignatureGuard implements CanActivate {
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
    if (!safeEqual(sign.toUpperCase(), computeSign(params, app.secret))) {
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

  private async checkRate(appKey: string): Promise<void> {
    const second = Math.floor(Date.now() / 1000);
    const key = `rate:${appKey}:${second}`;
    const results = await this.redis.run((r) => r.multi().incr(key).expire(key, 2).exec());
    const [incrErr, count] = results?.[0] ?? [new Error('no reply'), 0];
    if (incrErr) {
      throw new RedisFailure(incrErr);
    }
    if (Number(count) > this.config.signature.rateLimitPerSecond) {
      throw new PartnerError('ME01027');
    }
  }
}
