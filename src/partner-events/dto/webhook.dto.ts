import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsHttpUrl } from '../../common/outbound/http-url.validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../entities/webhook-delivery.entity';
import { PARTNER_EVENTS } from '../partner-event.types';

export const WEBHOOK_URL_MAX_LENGTH = 512;

/** PUT /admin/apps/:appKey/webhook (API.md 12). */
export class PutWebhookDto {
  @ApiProperty({ example: 'https://partner.example.com/channel-events' })
  @IsHttpUrl(WEBHOOK_URL_MAX_LENGTH)
  url: string;

  @ApiProperty({ example: ['*'], description: '`["*"]` for every event, or event names' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_EVENTS.length)
  @ArrayUnique()
  @IsIn(['*', ...PARTNER_EVENTS], { each: true, message: 'must be "*" or known event names' })
  events: string[];
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export interface WebhookResponseDto {
  appKey: string;
  url: string;
  events: string[];
}

export interface DeliveryResponseDto {
  eventID: string;
  event: string;
  channelNumber: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds, null until delivered. */
  deliveredAt: number | null;
}
