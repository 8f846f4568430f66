import { Injectable } from '@nestjs/common';
import { VoiceOwnerWriter } from './speech-synthesis.job';

const KIND_PATTERN = /^[\x21-\x7e]{1,64}$/;

/**
 * Which feature writes a finished clip's URL to which table, by owner kind. Features register
 * through SpeechSynthesisProducer.registerOwnerWriter in onModuleInit; every process loads every
 * feature module, so the workers that run the processor know the same writers.
 */
@Injectable()
export class VoiceOwnerRegistry {
  private readonly writers = new Map<string, VoiceOwnerWriter>();

  register(kind: string, writer: VoiceOwnerWriter): void {
    if (!KIND_PATTERN.test(kind)) {
      throw new Error(
        `voice owner kind ${JSON.stringify(kind)} must be 1-64 printable ASCII characters without spaces`,
      );
    }
    if (this.writers.has(kind)) {
      throw new Error(`a voice owner writer for ${JSON.stringify(kind)} is already registered`);
    }
    this.writers.set(kind, writer);
  }

  get(kind: string): VoiceOwnerWriter | undefined {
    return this.writers.get(kind);
  }
}
