import { Module } from '@nestjs/common';
import { SpeechSynthesisProducer } from './speech-synthesis.producer';

/** Temporary stand-in, replaced by feat/tts. */
@Module({ providers: [SpeechSynthesisProducer], exports: [SpeechSynthesisProducer] })
export class SpeechSynthesisModule {}
