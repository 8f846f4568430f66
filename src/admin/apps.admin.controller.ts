import { Body, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AppView, PartnerAppService } from '../access/partner-app.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { ParamValidationError } from '../common/errors/partner-error';
import { conflict, notFound } from './admin-errors';
import { AppKeyParamDto, CreateAppDto, RotateSecretDto, UpdateAppDto } from './dto/app.dto';

/** Partner apps (API.md 7, 10, 15): create or bring over, list, change, rotate the secret. */
@AdminController('apps')
export class AppsAdminController {
  constructor(private readonly apps: PartnerAppService) {}

  @Post()
  @ApiOperation({ summary: 'Create a partner app, or bring an existing one over. The secret is in this answer only.' })
  async create(
    @Body() dto: CreateAppDto,
  ): Promise<{ appKey: string; secret: string; name: string; requireTimestamp: boolean }> {
    if (dto.secret !== undefined && dto.appKey === undefined) {
      throw new ParamValidationError('appKey', 'is required with secret');
    }
    const app = await this.apps.create({
      name: dto.name,
      requireTimestamp: dto.requireTimestamp ?? false,
      appKey: dto.appKey,
      secret: dto.secret,
    });
    if (!app) {
      throw conflict('appKey');
    }
    return { appKey: app.appKey, secret: app.secret, name: app.name, requireTimestamp: app.requireTimestamp };
  }

  @Get()
  @ApiOperation({ summary: 'Every app, without secrets.' })
  list(): Promise<AppView[]> {
    return this.apps.list();
  }

  @Patch(':appKey')
  @ApiOperation({ summary: 'Enable/disable, rename or change requireTimestamp; effective everywhere within 1 s.' })
  async update(@Param() params: AppKeyParamDto, @Body() dto: UpdateAppDto): Promise<AppView> {
    const app = await this.apps.update(params.appKey, dto);
    if (!app) {
      throw notFound('appKey');
    }
    return app;
  }

  @Post(':appKey/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret; the previous one signs until previousValidUntil (unix seconds).' })
  async rotate(
    @Param() params: AppKeyParamDto,
    @Body() dto: RotateSecretDto,
  ): Promise<{ appKey: string; secret: string; previousValidUntil: number }> {
    const rotated = await this.apps.rotateSecret(params.appKey, dto.graceSeconds ?? 0);
    if (!rotated) {
      throw notFound('appKey');
    }
    return rotated;
  }
}
