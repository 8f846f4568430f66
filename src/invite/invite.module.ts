import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundModule } from '../common/outbound/outbound.module';
import { AppConfig } from '../config/configuration';
import { PartnerCallbackModule } from '../jobs/partner-callback/partner-callback.module';
import { WeiboPostModule } from '../jobs/weibo-post/weibo-post.module';
import { Invitation } from './entities/invitation.entity';
import { InvitationAdminController } from './invitation-admin.controller';
import { InviteController } from './invite.controller';
import { InviteService } from './invite.service';
import { MediaCheckService } from './media-check.service';
import { PresenceController } from './presence.controller';
import { PresenceService } from './presence.service';

/**
 * Invitations to live temp channels, presence and temp-channel state, and their two queues.
 * Built from the AppConfig like the speech-synthesis module: AppConfig.runsWorkers (APP_ROLE) decides
 * whether this process also runs the queue processors.
 */
@Module({})
export class InviteModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: InviteModule,
      imports: [
        TypeOrmModule.forFeature([Invitation]),
        OutboundModule,
        WeiboPostModule.register(config),
        PartnerCallbackModule.register(config),
      ],
      controllers: [InviteController, PresenceController, InvitationAdminController],
      providers: [InviteService, PresenceService, MediaCheckService],
      exports: [PresenceService, InviteService],
    };
  }
}
