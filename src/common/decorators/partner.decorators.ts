import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { PartnerError } from '../errors/partner-error';
import { PartnerRequest } from '../partner/partner-request';

export const SKIP_SIGNATURE_KEY = 'skipSignature';
export const ACTING_ACCOUNT_KEY = 'actingAccount';

/** Not a partner route: neither the signature nor the token guard applies (admin, ops, media). */
export const SkipSignature = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_SIGNATURE_KEY, true);

/**
 * Names the parameter that carries the acting account, whose accessToken the TokenGuard checks
 * (API.md 4). A function picks the name from the request (manageSecretChannelUsers' adminAccountID).
 * `null` means the route is signed but carries no token (inviteUserJoin). Default: `accountID`.
 */
export type ActingAccountParam = string | ((params: Record<string, string>) => string) | null;
export const ActingAccount = (param: ActingAccountParam): MethodDecorator & ClassDecorator =>
  SetMetadata(ACTING_ACCOUNT_KEY, param);

function partnerOf(ctx: ExecutionContext): PartnerRequest['partner'] {
  const partner = ctx.switchToHttp().getRequest<PartnerRequest>().partner;
  if (!partner) {
    throw new PartnerError('ME01022');
  }
  return partner;
}

/** The decoded partner parameters, validated by the global ValidationPipe against the handler's DTO. */
export const PartnerParams = createParamDecorator((_: unknown, ctx: ExecutionContext) => ({
  ...partnerOf(ctx)!.params,
}));

export interface PartnerCaller {
  appKey: string;
  /** The account whose token was checked; undefined on routes without a token. */
  accountId?: string;
}

/** The checked caller: the app that signed, and the account whose token was verified. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): PartnerCaller => {
  const partner = partnerOf(ctx)!;
  return { appKey: partner.appKey!, accountId: partner.actingAccountId };
});
