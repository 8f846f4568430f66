import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TOKEN_PATTERN } from '../../access/access-token.service';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { APP_KEY_PATTERN } from '../../common/validation/partner-param.rules';

export const MAX_TOKEN_TTL_SECONDS = 366 * 24 * 3600;
/** 2038-01-19: the largest unix second a signed 32-bit field of a partner device holds. */
export const MAX_EXPIRES_AT = 2_147_483_647;

export class CreateTokenDto {
  @ApiProperty({ example: '1111111111' })
  @Matches(APP_KEY_PATTERN, { message: 'must be 1-10 digits' })
  appKey: string;

  @ApiProperty({ example: 'aaaaaaaaaa' })
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID: string;

  @ApiPropertyOptional({ description: 'Lifetime in seconds (default 30 days, at most 1 year).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_TTL_SECONDS)
  ttlSeconds?: number;

  @ApiPropertyOptional({ description: 'An existing token brought over unchanged (API.md 15); needs expiresAt.' })
  @IsOptional()
  @Matches(TOKEN_PATTERN, { message: 'must be 32 letters or digits' })
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Expiry in unix seconds, in the future; instead of ttlSeconds.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_EXPIRES_AT)
  expiresAt?: number;
}

/** One of three forms (API.md 10): {accessToken}, {appKey, accountID}, {accountID}. */
export class RevokeTokensDto {
  @ApiPropertyOptional({ description: 'Revoke this one token.' })
  @IsOptional()
  @Matches(TOKEN_PATTERN, { message: 'must be 32 letters or digits' })
  accessToken?: string;

  @ApiPropertyOptional({ description: "With accountID: only that account's tokens in this app." })
  @IsOptional()
  @Matches(APP_KEY_PATTERN, { message: 'must be 1-10 digits' })
  appKey?: string;

  @ApiPropertyOptional({ description: "Revoke the account's tokens (in every app unless appKey is given)." })
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID?: string;
}
