import { Module } from '@nestjs/common';
import { SpeechSynthesisProducer } from './speech-synthesis.producer';

/** Temporary stand-in for feat/tts's module (see speech-synthesis.producer.ts). */
@Module({ providers: [SpeechSynthesisProducer], exports: [SpeechSynthesisProducer] })
export class SpeechSynthesisModule {}
