import { fixWavSizes } from './voice-wav.service';

function wav(dataBytes: number, riffSize: number, dataSize: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(riffSize, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataSize, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}

describe('fixWavSizes', () => {
  it('should set the RIFF and data sizes a piped sox leaves unknown', () => {
    const fixed = fixWavSizes(wav(1000, 0xffffffff, 0xffffffff));
    expect(fixed.readUInt32LE(4)).toBe(1044 - 8);
    expect(fixed.readUInt32LE(40)).toBe(1000);
  });

  it('should refuse bytes that are not a WAV file', () => {
    expect(() => fixWavSizes(Buffer.from('#!AMR\n'.padEnd(64, '\0')))).toThrow('did not produce a WAV');
  });
});
