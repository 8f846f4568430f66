import { hashPassword, verifyPassword } from './console-password.service';

describe('console password hashing', () => {
  // Hashing at the production cost (scrypt N=2^15) takes ~80 ms a call here, and seconds on a loaded machine.
  jest.setTimeout(30_000);

  it('should verify the password it hashed and nothing else, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery 9');
    const second = await hashPassword('correct horse battery 9');
    expect(first).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(second).not.toBe(first);
    await expect(verifyPassword('correct horse battery 9', first)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery 8', first)).resolves.toBe(false);
    // One changed character of the hash: its first, since the last of 43 base64url characters also holds two
    // padding bits that decoding ignores (A-D decode alike), so changing the last one may change nothing.
    const at = first.lastIndexOf('$') + 1;
    const tampered = `${first.slice(0, at)}${first[at] === 'A' ? 'B' : 'A'}${first.slice(at + 1)}`;
    expect(tampered).not.toBe(first);
    await expect(verifyPassword('correct horse battery 9', tampered)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery 9', 'plain text')).resolves.toBe(false);
  });

  it('should treat the same text in composed and decomposed Unicode as one password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 2026');
    await expect(verifyPassword('cafe\u0301 au lait 2026', stored)).resolves.toBe(true);
  });
});
