import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MicroChannelApplication } from './entities/micro-channel-application.entity';
import { MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel } from './entities/micro-channel.entity';
import { MicroChannelEditsAdminController } from './micro-channel-edits.admin.controller';
import { MicroChannelReviewController } from './micro-channel-review.controller';
import { MicroChannelReviewService } from './micro-channel-review.service';

/**
 * Micro channels: applications, first review, owners' edits and their re-review (API.md 5.4, 5.6, 7).
 * SpeechSynthesisProducer comes from the global SpeechSynthesisModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MicroChannelApplication, MicroChannel, MicroChannelEdit])],
  controllers: [MicroChannelReviewController, MicroChannelEditsAdminController],
  providers: [MicroChannelReviewService],
})
export class MicroChannelReviewModule {}
