import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config/configuration';
import { SpeechSynthesisProducer } from './speech-synthesis.producer';

/** Temporary stand-in with the real module's shape (global, built from the config), replaced by feat/tts. */
@Module({})
export class SpeechSynthesisModule {
  static register(_config: AppConfig): DynamicModule {
    return {
      module: SpeechSynthesisModule,
      global: true,
      providers: [SpeechSynthesisProducer],
      exports: [SpeechSynthesisProducer],
    };
  }
}
