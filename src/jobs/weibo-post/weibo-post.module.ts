import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundModule } from '../../common/outbound/outbound.module';
import { AppConfig } from '../../config/configuration';
import { Invitation } from '../../invite/entities/invitation.entity';
import { WEIBO_POST_QUEUE } from '../queues';
import { WeiboPostProcessor } from './weibo-post.processor';
import { WeiboPostProducer } from './weibo-post.producer';
import { WeiboClient } from './weibo.client';

/** The weibo-post queue. The processor is provided only where workers run (APP_ROLE all or worker). */
@Module({})
export class WeiboPostModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WeiboPostModule,
      imports: [
        BullModule.registerQueue({ name: WEIBO_POST_QUEUE }),
        TypeOrmModule.forFeature([Invitation]),
        OutboundModule,
      ],
      providers: [WeiboPostProducer, WeiboClient, ...(config.runsWorkers ? [WeiboPostProcessor] : [])],
      exports: [WeiboPostProducer, WeiboClient],
    };
  }
}
