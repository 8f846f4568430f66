import { Body, ConflictException, Get, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AccessTokenService, DEFAULT_TOKEN_TTL_SECONDS } from '../access/access-token.service';
import { AccountService } from '../access/account.service';
import { PartnerAppService } from '../access/partner-app.service';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { AuditQueryDto, CreateAccountDto, CreateAppDto, CreateCatalogDto, CreateTokenDto } from './dto/admin.dto';

/** Provisioning (API.md 7): apps, accounts with roles, access tokens, catalogs, and the audit trail. */
@AdminController('')
export class ProvisioningController {
  constructor(
    private readonly apps: PartnerAppService,
    private readonly accounts: AccountService,
    private readonly tokens: AccessTokenService,
    private readonly catalogs: CatalogService,
    private readonly audit: AuditService,
  ) {}

  @Post('apps')
  @ApiOperation({ summary: 'Create a partner app. The secret is returned only in this answer.' })
  async createApp(
    @Body() dto: CreateAppDto,
  ): Promise<{ appKey: string; secret: string; name: string; requireTimestamp: boolean }> {
    const app = await this.apps.create(dto.name, dto.requireTimestamp ?? false);
    return { appKey: app.appKey, secret: app.secret, name: app.name, requireTimestamp: app.requireTimestamp };
  }

  @Post('accounts')
  @ApiOperation({ summary: 'Create an account (accountID generated when absent) with company roles.' })
  async createAccount(
    @Body() dto: CreateAccountDto,
  ): Promise<{ accountID: string; nickname: string; roles: string[] }> {
    const account = await this.accounts.create({ accountId: dto.accountID, nickname: dto.nickname, roles: dto.roles });
    if (!account) {
      throw new ConflictException({
        statusCode: 409,
        message: 'accountID already exists',
        errors: { accountID: 'already exists' },
      });
    }
    return { accountID: account.accountId, nickname: account.nickname, roles: account.roles };
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Issue an access token for one (appKey, accountID).' })
  async createToken(@Body() dto: CreateTokenDto): Promise<{ accessToken: string; expiresAt: number }> {
    if (!(await this.apps.findCredentials(dto.appKey))) {
      throw new NotFoundException({ statusCode: 404, message: 'appKey not found', errors: { appKey: 'not found' } });
    }
    if (!(await this.accounts.find(dto.accountID))) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'accountID not found',
        errors: { accountID: 'not found' },
      });
    }
    const issued = await this.tokens.issue(dto.appKey, dto.accountID, dto.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
    return { accessToken: issued.accessToken, expiresAt: Math.floor(issued.expiresAt.getTime() / 1000) };
  }

  @Post('catalogs')
  @ApiOperation({ summary: 'Create a channel catalog (0 both kinds, 1 micro, 2 group).' })
  async createCatalog(
    @Body() dto: CreateCatalogDto,
  ): Promise<{ catalogID: string; name: string; catalogType: number }> {
    const catalog = await this.catalogs.create({
      catalogId: dto.catalogID,
      name: dto.name,
      catalogType: dto.catalogType,
    });
    if (!catalog) {
      throw new ConflictException({
        statusCode: 409,
        message: 'catalogID already exists',
        errors: { catalogID: 'already exists' },
      });
    }
    return { catalogID: catalog.catalogId, name: catalog.name, catalogType: catalog.catalogType };
  }

  @Get('catalogs')
  @ApiOperation({ summary: 'List catalogs.' })
  async listCatalogs(): Promise<Array<{ catalogID: string; name: string; catalogType: number }>> {
    return (await this.catalogs.list()).map((c) => ({
      catalogID: c.catalogId,
      name: c.name,
      catalogType: c.catalogType,
    }));
  }

  @Get('audit')
  @ApiOperation({ summary: 'Audit rows, newest first.' })
  async listAudit(@Query() q: AuditQueryDto): Promise<{ total: number; items: unknown[] }> {
    const { total, items } = await this.audit.list({
      entityType: q.entityType,
      entityId: q.entityId,
      actorAccountId: q.accountID,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return {
      total,
      items: items.map((i) => ({
        id: Number(i.id),
        actorAccountID: i.actorAccountId,
        appKey: i.appKey,
        action: i.action,
        entityType: i.entityType,
        entityId: i.entityId,
        before: i.before,
        after: i.after,
        remark: i.remark,
        createdAt: Math.floor(i.createdAt.getTime() / 1000),
      })),
    };
  }
}
