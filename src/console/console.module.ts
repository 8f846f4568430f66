import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import express from 'express';
import { MicroChannelReviewModule } from '../micro-channel-review/micro-channel-review.module';
import { SecretChannelModule } from '../secret-channel/secret-channel.module';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleChannelsService } from './console-channels.service';
import { ConsoleOperatorController } from './console-operator.controller';
import { ConsolePasswordAdminController } from './console-password.admin.controller';
import { ConsolePasswordService } from './console-password.service';
import { ConsoleReviewController } from './console-review.controller';
import { ConsoleSessionService } from './console-session.service';
import { ConsoleGuard } from './console.guard';
import { ConsoleCredential } from './entities/console-credential.entity';

/**
 * The reviewers' and operators' web console at /console/ (API.md 14): server-rendered pages over the
 * feature services, console passwords and Redis-held sessions. The console's own forms are urlencoded.
 */
@Module({})
export class ConsoleModule implements NestModule {
  /** `invite`: the InviteModule instance AppModule registered (built from the config, so passed in). */
  static register(invite: DynamicModule): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [TypeOrmModule.forFeature([ConsoleCredential]), MicroChannelReviewModule, SecretChannelModule, invite],
      controllers: [
        ConsoleAuthController,
        ConsoleReviewController,
        ConsoleOperatorController,
        ConsolePasswordAdminController,
      ],
      providers: [ConsolePasswordService, ConsoleSessionService, ConsoleChannelsService, ConsoleGuard],
      exports: [ConsoleSessionService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }))
      .forRoutes({ path: 'console/{*path}', method: RequestMethod.POST });
  }
}
