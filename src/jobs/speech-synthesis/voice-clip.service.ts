import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { checkAmrNb } from '../../common/audio/amr';
import { AppConfig } from '../../config/configuration';
import { VoiceClip } from './entities/voice-clip.entity';
import { TtsError } from './tts.client';

export interface StoredClip {
  id: string;
  durationMs: number;
}

export const CLIP_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The de-duplication key: one clip per (driver, text). */
export function clipKey(driver: string, text: string): string {
  return createHash('sha256').update(`${driver}\n${text}`, 'utf8').digest('hex');
}

/** The voice_clip table: clips are written once, validated, and read by id for /media/voice. */
@Injectable()
export class VoiceClipService {
  constructor(
    @InjectRepository(VoiceClip) private readonly clips: Repository<VoiceClip>,
    private readonly config: AppConfig,
  ) {}

  async findByText(driver: string, text: string): Promise<StoredClip | null> {
    return this.clips.findOne({
      select: { id: true, durationMs: true },
      where: { textSha256: clipKey(driver, text) },
    });
  }

  /**
   * Stores a clip after checking it is a whole AMR-NB file, and returns the clip for that text:
   * when another worker stored the same text first, its row wins and this one is dropped, so
   * concurrent identical texts all end up with the same clip instead of a duplicate-key error.
   */
  async store(driver: string, text: string, bytes: Buffer): Promise<StoredClip> {
    const check = checkAmrNb(bytes);
    if (!check.valid) {
      throw new TtsError(`${driver} driver produced invalid AMR-NB (${check.reason})`);
    }
    const textSha256 = clipKey(driver, text);
    await this.clips.query(
      'INSERT INTO voice_clip (id, text_sha256, driver, text, bytes, duration_ms) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE id = id',
      [randomBytes(16).toString('hex'), textSha256, driver, text, bytes, check.durationMs],
    );
    const stored = await this.clips.findOne({ select: { id: true, durationMs: true }, where: { textSha256 } });
    if (!stored) {
      throw new Error(`voice clip ${textSha256} missing right after it was stored`);
    }
    return stored;
  }

  /** The clip with its bytes; null for an unknown or malformed id. */
  async find(id: string): Promise<VoiceClip | null> {
    if (!CLIP_ID_PATTERN.test(id)) {
      return null;
    }
    return this.clips.findOneBy({ id });
  }

  /** Absolute, so partners and devices can fetch it from anywhere (API.md 8). */
  urlOf(id: string): string {
    return `${this.config.publicBaseUrl}/media/voice/${id}.amr`;
  }
}
