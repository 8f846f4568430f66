import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AMR_NB_MAGIC, checkAmrNb } from './amr';

/** Clips made by espeak-ng | sox -t amr-nb -C 7 (12.2 kbit/s with DTX: SID and NO_DATA frames included). */
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../../test/fixtures/voice', name));

/** Total bytes (header byte included) of each AMR-NB frame type. */
// prettier-ignore
const FRAME_BYTES: Array<[number, number]> = [
  [0, 13], [1, 14], [2, 16], [3, 18], [4, 20], [5, 21], [6, 27], [7, 32], [8, 6], [15, 1],
];

function frame(type: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes[0] = (type << 3) | 0x04;
  return bytes;
}

describe(checkAmrNb.name, () => {
  it('should accept a short real clip and report its frames and duration', () => {
    expect(checkAmrNb(fixture('nihao.amr'))).toEqual({ valid: true, frames: 57, durationMs: 1140 });
  });

  it('should accept a longer real clip with SID and NO_DATA frames', () => {
    expect(checkAmrNb(fixture('broadcast.amr'))).toEqual({ valid: true, frames: 285, durationMs: 5700 });
  });

  it('should accept every AMR-NB frame type', () => {
    const clip = Buffer.concat([AMR_NB_MAGIC, ...FRAME_BYTES.map(([type, size]) => frame(type, size))]);
    expect(checkAmrNb(clip)).toEqual({ valid: true, frames: FRAME_BYTES.length, durationMs: FRAME_BYTES.length * 20 });
  });

  it('should reject an AMR-WB file', () => {
    const wb = Buffer.concat([Buffer.from('#!AMR-WB\n', 'ascii'), frame(8, 61), frame(8, 61)]);
    expect(checkAmrNb(wb)).toEqual({ valid: false, reason: 'missing #!AMR\\n header' });
  });

  it('should reject a clip whose last frame is truncated', () => {
    const clip = fixture('nihao.amr');
    const cut = Buffer.concat([clip, frame(7, 32).subarray(0, 31)]);
    expect(checkAmrNb(cut)).toEqual({ valid: false, reason: `truncated frame 57 at byte ${clip.length}` });
  });

  it('should reject random bytes', () => {
    expect(checkAmrNb(randomBytes(4096))).toMatchObject({ valid: false });
  });

  it('should reject an empty file', () => {
    expect(checkAmrNb(Buffer.alloc(0))).toEqual({ valid: false, reason: 'missing #!AMR\\n header' });
  });

  it('should reject a header with no frames', () => {
    expect(checkAmrNb(Buffer.from(AMR_NB_MAGIC))).toEqual({ valid: false, reason: 'no frames' });
  });

  it.each([9, 10, 11, 12, 13, 14])('should reject frame type %i, which AMR-NB does not have', (type) => {
    const clip = Buffer.concat([AMR_NB_MAGIC, frame(7, 32), frame(type, 32)]);
    expect(checkAmrNb(clip)).toEqual({ valid: false, reason: `invalid frame type ${type} at byte 38` });
  });

  it('should reject a frame header with padding bits set', () => {
    const bad = frame(7, 32);
    bad[0] |= 0x80;
    expect(checkAmrNb(Buffer.concat([AMR_NB_MAGIC, bad]))).toEqual({
      valid: false,
      reason: 'bad padding bits in frame 0 at byte 6',
    });
  });
});
