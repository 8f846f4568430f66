import { Injectable, Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { RedisService } from '../../common/redis/redis.service';
import { captureHead, describeExit, killIfRunning, onExit } from './espeak-tts.client';

/** AMR-NB on stdin, 16-bit PCM WAV on stdout: what every browser plays (API.md 14). */
const SOX_ARGS = ['-t', 'amr-nb', '-', '-t', 'wav', '-'];
const CONVERT_TIMEOUT_MS = 5000;
/** A channel-name clip is a few seconds: 8 kHz 16-bit mono is 16 KB a second. */
const MAX_WAV_BYTES = 4 * 1024 * 1024;
/** Clips never change, so a converted clip is good for as long as Redis keeps it. */
const CACHE_SECONDS = 7 * 24 * 3600;

/**
 * A sox writing to a pipe cannot seek back to fill in the RIFF and data sizes; set them from the bytes
 * we have, so players that trust the header see the whole clip.
 */
export function fixWavSizes(wav: Buffer): Buffer {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('sox did not produce a WAV file');
  }
  wav.writeUInt32LE(wav.length - 8, 4);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    if (id === 'data') {
      wav.writeUInt32LE(wav.length - offset - 8, offset + 4);
      return wav;
    }
    offset += 8 + wav.readUInt32LE(offset + 4);
  }
  throw new Error('WAV without a data chunk');
}

/**
 * The browser-playable form of a voice clip: converted from the stored AMR by sox once, then served
 * from Redis (shared by every instance; no in-process copy, so nothing to invalidate).
 */
@Injectable()
export class VoiceWavService {
  private readonly logger = new Logger(VoiceWavService.name);

  constructor(private readonly redis: RedisService) {}

  async wavOf(clipId: string, amr: Buffer): Promise<Buffer> {
    const key = `voice-wav:${clipId}`;
    const cached = await this.redis.run((r) => r.getBuffer(key));
    if (cached) {
      return cached;
    }
    const wav = fixWavSizes(await convert(amr));
    await this.redis.run((r) => r.set(key, wav, 'EX', CACHE_SECONDS));
    this.logger.log({ msg: 'voice clip converted to wav', clipId, amrBytes: amr.length, wavBytes: wav.length });
    return wav;
  }
}

function convert(amr: Buffer): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const sox = spawn('sox', SOX_ARGS, { stdio: 'pipe' });
    const stderr = captureHead(sox.stderr);
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: string | null = null;
    const timer = setTimeout(() => {
      failure = `sox timed out after ${CONVERT_TIMEOUT_MS} ms`;
      killIfRunning(sox);
    }, CONVERT_TIMEOUT_MS);
    sox.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WAV_BYTES) {
        failure = 'wav larger than expected';
        killIfRunning(sox);
        return;
      }
      chunks.push(chunk);
    });
    // A sox that exits early closes stdin under us; the exit explains it.
    sox.stdin.on('error', () => undefined);
    sox.stdin.end(amr);
    onExit(sox, (exit) => {
      clearTimeout(timer);
      if (failure || exit.spawnError || exit.code !== 0) {
        reject(new Error(failure ?? describeExit('sox', exit, stderr())));
        return;
      }
      resolve(Buffer.concat(chunks));
    });
  });
}
