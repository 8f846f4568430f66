import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { SecretChannelMember } from './entities/secret-channel-member.entity';
import { SecretChannel } from './entities/secret-channel.entity';
import { SecretChannelMembersService } from './secret-channel-members.service';
import { SecretChannelMembershipService } from './secret-channel-membership.service';
import { SecretChannelMuteSweeperService } from './secret-channel-mute-sweeper.service';
import { SecretChannelController } from './secret-channel.controller';
import { SecretChannelReadService } from './secret-channel-reads.service';
import { SecretChannelService } from './secret-channel.service';

/** Group ("secret") channels: apply, members, admins, timed mutes, keys, transfer, dissolve (API.md 5, 11). */
@Module({
  // SpeechSynthesisProducer and CityService come from the global SpeechSynthesisModule and GeoModule.
  imports: [TypeOrmModule.forFeature([SecretChannel, SecretChannelMember, SecretChannelKeyBinding])],
  controllers: [SecretChannelController],
  providers: [
    SecretChannelService,
    SecretChannelReadService,
    SecretChannelMembershipService,
    SecretChannelMembersService,
    SecretChannelMuteSweeperService,
  ],
  exports: [SecretChannelService],
})
export class SecretChannelModule {}
