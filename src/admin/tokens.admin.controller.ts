import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AccessTokenService, RevokeSelector } from '../access/access-token.service';
import { AccountService } from '../access/account.service';
import { PartnerAppService } from '../access/partner-app.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { ParamValidationError } from '../common/errors/partner-error';
import { conflict, notFound } from './admin-errors';
import { CreateTokenDto, RevokeTokensDto } from './dto/token.dto';

/** Access tokens (API.md 7, 10, 15): issue or bring over, revoke. */
@AdminController('tokens')
export class TokensAdminController {
  constructor(
    private readonly apps: PartnerAppService,
    private readonly accounts: AccountService,
    private readonly tokens: AccessTokenService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue an access token for one (appKey, accountID), or bring an existing one over.' })
  async create(@Body() dto: CreateTokenDto): Promise<{ accessToken: string; expiresAt: number }> {
    if (dto.expiresAt !== undefined && dto.ttlSeconds !== undefined) {
      throw new ParamValidationError('expiresAt', 'cannot be combined with ttlSeconds');
    }
    if (dto.accessToken !== undefined && dto.expiresAt === undefined) {
      throw new ParamValidationError('expiresAt', 'is required with accessToken');
    }
    if (dto.expiresAt !== undefined && dto.expiresAt <= Math.floor(Date.now() / 1000)) {
      throw new ParamValidationError('expiresAt', 'must be in the future');
    }
    await this.requireAppAndAccount(dto.appKey, dto.accountID);
    const issued = await this.tokens.issue(dto.appKey, dto.accountID, {
      ttlSeconds: dto.ttlSeconds,
      accessToken: dto.accessToken,
      expiresAt: dto.expiresAt,
    });
    if (!issued) {
      throw conflict('accessToken');
    }
    return { accessToken: issued.accessToken, expiresAt: Math.floor(issued.expiresAt.getTime() / 1000) };
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Revoke {accessToken}, or all tokens of {appKey, accountID}, or of {accountID} everywhere; ME01003 on every instance within 1 s.',
  })
  async revoke(@Body() dto: RevokeTokensDto): Promise<{ revoked: number }> {
    return { revoked: await this.tokens.revoke(await this.selector(dto)) };
  }

  private async selector(dto: RevokeTokensDto): Promise<RevokeSelector> {
    if (dto.accessToken !== undefined) {
      if (dto.appKey !== undefined || dto.accountID !== undefined) {
        throw new ParamValidationError(
          dto.appKey !== undefined ? 'appKey' : 'accountID',
          'not allowed with accessToken',
        );
      }
      return { accessToken: dto.accessToken };
    }
    if (dto.accountID === undefined) {
      throw new ParamValidationError('accountID', 'is required unless accessToken is given');
    }
    if (dto.appKey !== undefined) {
      await this.requireAppAndAccount(dto.appKey, dto.accountID);
      return { appKey: dto.appKey, accountId: dto.accountID };
    }
    if (!(await this.accounts.find(dto.accountID))) {
      throw notFound('accountID');
    }
    return { accountId: dto.accountID };
  }

  private async requireAppAndAccount(appKey: string, accountId: string): Promise<void> {
    if (!(await this.apps.findCredentials(appKey))) {
      throw notFound('appKey');
    }
    if (!(await this.accounts.find(accountId))) {
      throw notFound('accountID');
    }
  }
}
