import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { SecretChannelMember } from './entities/secret-channel-member.entity';
import { SecretChannel } from './entities/secret-channel.entity';
import { SecretChannelMembershipService } from './secret-channel-membership.service';
import { SecretChannelController } from './secret-channel.controller';
import { SecretChannelService } from './secret-channel.service';

/** Group ("secret") channels: apply, members, keys, transfer, dissolve (API.md 5.1-5.3, 5.6). */
@Module({
  // SpeechSynthesisProducer and CityService come from the global SpeechSynthesisModule and GeoModule.
  imports: [TypeOrmModule.forFeature([SecretChannel, SecretChannelMember, SecretChannelKeyBinding])],
  controllers: [SecretChannelController],
  providers: [SecretChannelService, SecretChannelMembershipService],
})
export class SecretChannelModule {}
