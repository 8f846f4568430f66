import { Body, Get, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { conflict } from './admin-errors';
import { AuditQueryDto, CreateCatalogDto } from './dto/admin.dto';

/** Provisioning (API.md 7): catalogs, and the audit trail. Apps, tokens and accounts have their own controllers. */
@AdminController('')
export class ProvisioningController {
  constructor(
    private readonly catalogs: CatalogService,
    private readonly audit: AuditService,
  ) {}

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
      throw conflict('catalogID');
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
