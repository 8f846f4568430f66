/**
 * AMR-NB storage format (RFC 4867 section 5): the magic `#!AMR\n`, then frames whose first byte
 * carries the frame type in bits 3-6. Sizes include that header byte; FT 9-14 are not valid in NB.
 */
export const AMR_NB_MAGIC = Buffer.from('#!AMR\n', 'ascii');
const FRAME_BYTES: Record<number, number> = { 0: 13, 1: 14, 2: 16, 3: 18, 4: 20, 5: 21, 6: 27, 7: 32, 8: 6, 15: 1 };
export const AMR_FRAME_MS = 20;

export type AmrCheck = { valid: true; frames: number; durationMs: number } | { valid: false; reason: string };

/** Walks every frame of an AMR-NB file; valid only if the walk ends exactly at the last byte. */
export function checkAmrNb(bytes: Buffer): AmrCheck {
  if (bytes.length < AMR_NB_MAGIC.length || !bytes.subarray(0, AMR_NB_MAGIC.length).equals(AMR_NB_MAGIC)) {
    return { valid: false, reason: 'missing #!AMR\\n header' };
  }
  let offset = AMR_NB_MAGIC.length;
  let frames = 0;
  while (offset < bytes.length) {
    const header = bytes[offset];
    if ((header & 0x83) !== 0) {
      return { valid: false, reason: `bad padding bits in frame ${frames} at byte ${offset}` };
    }
    const size = FRAME_BYTES[(header >> 3) & 0x0f];
    if (size === undefined) {
      return { valid: false, reason: `invalid frame type ${(header >> 3) & 0x0f} at byte ${offset}` };
    }
    if (offset + size > bytes.length) {
      return { valid: false, reason: `truncated frame ${frames} at byte ${offset}` };
    }
    offset += size;
    frames++;
  }
  if (frames === 0) {
    return { valid: false, reason: 'no frames' };
  }
  return { valid: true, frames, durationMs: frames * AMR_FRAME_MS };
}
