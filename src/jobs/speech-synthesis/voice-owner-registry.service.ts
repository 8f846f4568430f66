import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { VoiceOwnerPendingLister, VoiceOwnerWriter } from './speech-synthesis.job';

const KIND_PATTERN = /^[\x21-\x7e]{1,64}$/;

/**
 * Which feature writes a finished clip's URL to which table, by owner kind. Features register
 * through SpeechSynthesisProducer.registerOwnerWriter in onModuleInit; every process loads every
 * feature module, so the workers that run the processor know the same writers.
 *
 * Bull's explorer sits in a global module, whose onModuleInit Nest runs before the feature modules',
 * so a worker can take a waiting job before its writer is registered: lookups wait for `complete`,
 * which opens once every module's onModuleInit has run.
 */
@Injectable()
export class VoiceOwnerRegistry implements OnApplicationBootstrap {
  private readonly writers = new Map<string, VoiceOwnerWriter>();
  private readonly listers = new Map<string, VoiceOwnerPendingLister>();
  private markComplete!: () => void;
  /** Resolves when every module has had its onModuleInit, and so its chance to register. */
  readonly complete = new Promise<void>((resolve) => (this.markComplete = resolve));

  onApplicationBootstrap(): void {
    this.markComplete();
  }

  register(kind: string, writer: VoiceOwnerWriter, pending?: VoiceOwnerPendingLister): void {
    if (!KIND_PATTERN.test(kind)) {
      throw new Error(
        `voice owner kind ${JSON.stringify(kind)} must be 1-64 printable ASCII characters without spaces`,
      );
    }
    if (this.writers.has(kind)) {
      throw new Error(`a voice owner writer for ${JSON.stringify(kind)} is already registered`);
    }
    this.writers.set(kind, writer);
    if (pending) {
      this.listers.set(kind, pending);
    }
  }

  /** The kinds whose rows can be listed when still without a voice URL (for the stuck-job sweep). */
  pendingListers(): Array<[string, VoiceOwnerPendingLister]> {
    return [...this.listers.entries()];
  }

  /** The writer of a kind, once every module has registered (undefined if none did). */
  async writerOf(kind: string): Promise<VoiceOwnerWriter | undefined> {
    await this.complete;
    return this.writers.get(kind);
  }
}
