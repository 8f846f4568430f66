import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/configuration';
import { SPEECH_SYNTHESIS_QUEUE } from '../queues';
import { VoiceClip } from './entities/voice-clip.entity';
import { EspeakTtsClient } from './espeak-tts.client';
import { HttpTtsClient } from './http-tts.client';
import { SpeechSynthesisProcessor } from './speech-synthesis.processor';
import { SpeechSynthesisProducer } from './speech-synthesis.producer';
import { TtsClient } from './tts.client';
import { TtsProbeService } from './tts-probe.service';
import { VoiceClipService } from './voice-clip.service';
import { VoiceWavService } from './voice-wav.service';
import { VoiceMediaController } from './voice-media.controller';
import { VoiceOwnerRegistry } from './voice-owner-registry.service';

/** TTS_DRIVER picks the engine (env validation already insists on the http driver's settings). */
export function createTtsClient(config: AppConfig): TtsClient {
  if (config.tts.driver === 'http') {
    const { httpUrl, appKey, appSecret } = config.tts;
    if (!httpUrl || !appKey || !appSecret) {
      throw new Error('TTS_DRIVER=http needs TTS_HTTP_URL, TTS_APP_KEY and TTS_APP_SECRET');
    }
    return new HttpTtsClient({ url: httpUrl, appKey, appSecret });
  }
  return new EspeakTtsClient();
}

/**
 * Speech synthesis (API.md 8): the `speech-synthesis` queue, its producer (what features inject),
 * the TTS drivers, the voice_clip store and GET /media/voice/<id>.amr. The processor is registered
 * only where APP_ROLE runs workers, so an api process adds jobs and never takes them.
 * Global, so features inject SpeechSynthesisProducer without importing a config-built module.
 */
@Module({})
export class SpeechSynthesisModule {
  static register(config: AppConfig): DynamicModule {
    const providers: Provider[] = [
      SpeechSynthesisProducer,
      VoiceOwnerRegistry,
      VoiceClipService,
      TtsProbeService,
      VoiceWavService,
      { provide: TtsClient, useFactory: createTtsClient, inject: [AppConfig] },
    ];
    if (config.runsWorkers) {
      providers.push(SpeechSynthesisProcessor);
    }
    return {
      module: SpeechSynthesisModule,
      global: true,
      imports: [BullModule.registerQueue({ name: SPEECH_SYNTHESIS_QUEUE }), TypeOrmModule.forFeature([VoiceClip])],
      controllers: [VoiceMediaController],
      providers,
      exports: [SpeechSynthesisProducer, VoiceOwnerRegistry],
    };
  }
}
