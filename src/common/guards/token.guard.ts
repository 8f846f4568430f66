import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenService, TOKEN_PATTERN } from '../../access/access-token.service';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { ACTING_ACCOUNT_KEY, ActingAccountParam, SKIP_SIGNATURE_KEY } from '../decorators/partner.decorators';
import { PartnerError } from '../errors/partner-error';
import { PartnerRequest } from '../partner/partner-request';

/**
 * Global guard run after the SignatureGuard: the acting account's accessToken must be a live token of
 * that account for the signing app (API.md 4). Routes name the account parameter with @ActingAccount.
 */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_SIGNATURE_KEY, targets)) {
      return true;
    }
    const partner = context.switchToHttp().getRequest<PartnerRequest>().partner;
    if (!partner?.appKey) {
      throw new PartnerError('ME01022');
    }
    const declared = this.reflector.getAllAndOverride<ActingAccountParam | undefined>(ACTING_ACCOUNT_KEY, targets);
    if (declared === null) {
      return true;
    }
    const params = partner.params;
    const name = typeof declared === 'function' ? declared(params) : (declared ?? 'accountID');
    const accountId = params[name];
    if (accountId === undefined || !ACCOUNT_ID_PATTERN.test(accountId)) {
      throw PartnerError.badParam(name);
    }
    const token = params.accessToken;
    if (token === undefined || !TOKEN_PATTERN.test(token)) {
      throw PartnerError.badParam('accessToken');
    }
    await this.tokens.verify(partner.appKey, accountId, token);
    partner.actingAccountId = accountId;
    return true;
  }
}
