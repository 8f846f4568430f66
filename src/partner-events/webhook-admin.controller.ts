import { Body, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/decorators/controllers.decorator';
import { AppKeyParamDto } from '../admin/dto/app.dto';
import { DeliveriesQueryDto, DeliveryResponseDto, PutWebhookDto, WebhookResponseDto } from './dto/webhook.dto';
import { WebhookSubscriptionService } from './webhook-subscription.service';

/** Partner webhooks (API.md 12): one subscription per app, and its recent deliveries. */
@AdminController('apps/:appKey/webhook')
export class WebhookAdminController {
  constructor(private readonly webhooks: WebhookSubscriptionService) {}

  @Put()
  @ApiOperation({ summary: 'Create or replace the app\'s webhook: url and events (`["*"]` or names).' })
  put(@Param() p: AppKeyParamDto, @Body() dto: PutWebhookDto): Promise<WebhookResponseDto> {
    return this.webhooks.put(p.appKey, dto.url, dto.events);
  }

  @Get()
  @ApiOperation({ summary: "The app's webhook; 404 when it has none." })
  get(@Param() p: AppKeyParamDto): Promise<WebhookResponseDto> {
    return this.webhooks.get(p.appKey);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the webhook: no new deliveries are made.' })
  remove(@Param() p: AppKeyParamDto): Promise<void> {
    return this.webhooks.remove(p.appKey);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Recent deliveries, newest first, with attempts, last status and error.' })
  deliveries(@Param() p: AppKeyParamDto, @Query() q: DeliveriesQueryDto): Promise<{ list: DeliveryResponseDto[] }> {
    return this.webhooks.listDeliveries(p.appKey, q.limit ?? 50, q.status);
  }
}
