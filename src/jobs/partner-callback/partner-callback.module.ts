import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundModule } from '../../common/outbound/outbound.module';
import { AppConfig } from '../../config/configuration';
import { Invitation } from '../../invite/entities/invitation.entity';
import { PARTNER_CALLBACK_QUEUE } from '../queues';
import { PartnerCallbackClient } from './partner-callback.client';
import { PartnerCallbackProcessor } from './partner-callback.processor';
import { PartnerCallbackProducer } from './partner-callback.producer';

/** The partner-callback queue. The processor is provided only where workers run (APP_ROLE all or worker). */
@Module({})
export class PartnerCallbackModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PartnerCallbackModule,
      imports: [
        BullModule.registerQueue({ name: PARTNER_CALLBACK_QUEUE }),
        TypeOrmModule.forFeature([Invitation]),
        OutboundModule,
      ],
      providers: [
        PartnerCallbackProducer,
        PartnerCallbackClient,
        ...(config.runsWorkers ? [PartnerCallbackProcessor] : []),
      ],
      exports: [PartnerCallbackProducer],
    };
  }
}
