import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SkipSignature } from '../common/decorators/partner.decorators';
import { OpsGuard } from '../common/guards/admin.guard';
import { MetricsService } from '../metrics/metrics.service';
import { HealthService } from './health.service';

@Controller()
@SkipSignature()
@ApiTags('ops')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health/ready')
  @UseGuards(OpsGuard)
  @ApiOperation({ summary: 'MySQL, Redis and the queues answer; 503 with per-dependency status otherwise.' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const result = await this.health.readiness();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }

  @Get('metrics')
  @UseGuards(OpsGuard)
  @ApiOperation({ summary: 'Prometheus metrics.' })
  async prometheus(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
