import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MicroChannelApplication } from './entities/micro-channel-application.entity';
import { MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel } from './entities/micro-channel.entity';
import { MicroChannelApplicationService } from './micro-channel-application.service';
import { MicroChannelEditService } from './micro-channel-edit.service';
import { MicroChannelEditsAdminController } from './micro-channel-edits.admin.controller';
import { MicroChannelQueueService } from './micro-channel-queue.service';
import { MicroChannelReviewController } from './micro-channel-review.controller';
import { MicroChannelEditListService } from './micro-channel-edit-list.service';
import { MicroChannelReviewService } from './micro-channel-review.service';
import { MicroChannelVoiceWriter } from './micro-channel-voice.writer';

/**
 * Micro channels: applications, first review, owners' edits and their re-review (API.md 5.4, 5.6, 7).
 * SpeechSynthesisProducer comes from the global SpeechSynthesisModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MicroChannelApplication, MicroChannel, MicroChannelEdit])],
  controllers: [MicroChannelReviewController, MicroChannelEditsAdminController],
  providers: [
    MicroChannelReviewService,
    MicroChannelApplicationService,
    MicroChannelEditService,
    MicroChannelEditListService,
    MicroChannelVoiceWriter,
    MicroChannelQueueService,
  ],
  exports: [MicroChannelApplicationService, MicroChannelEditService, MicroChannelQueueService],
})
export class MicroChannelReviewModule {}
