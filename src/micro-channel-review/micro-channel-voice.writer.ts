import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { MicroChannel } from './entities/micro-channel.entity';

/** Owner kind of queued micro-channel clips: the id is the micro_channel row id. */
export const MICRO_CHANNEL_VOICE_OWNER_KIND = 'micro-channel';

const CLIP_ID_IN_URL = /\/media\/voice\/([0-9a-f]{32})\.amr$/;

/**
 * Reviews synthesise a micro channel's name while the reviewer waits; the legacy import cannot, so it queues
 * the clip (API.md 15) and this writer fills voice URL and clip id in when the job finishes, on whichever
 * instance runs it.
 */
@Injectable()
export class MicroChannelVoiceWriter implements OnModuleInit {
  constructor(
    @InjectRepository(MicroChannel) private readonly channels: Repository<MicroChannel>,
    private readonly speech: SpeechSynthesisProducer,
  ) {}

  onModuleInit(): void {
    this.speech.registerOwnerWriter(MICRO_CHANNEL_VOICE_OWNER_KIND, (id, url) => this.write(id, url));
  }

  async write(channelId: string, url: string): Promise<boolean> {
    const clipId = CLIP_ID_IN_URL.exec(url)?.[1] ?? '';
    const result = await this.channels.update({ id: channelId }, { voiceUrl: url, voiceClipId: clipId });
    return (result.affected ?? 0) > 0;
  }
}
