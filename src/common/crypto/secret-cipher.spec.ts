import { keyIdOf, SecretCipher, SecretDecryptionError } from './secret-cipher';

const KEY_A = 'a'.repeat(64);
const KEY_B = '0123456789abcdef'.repeat(4);
const SECRET = '9F1C2B3A4D5E6F708192A3B4C5D6E7F809A1B2C3';

describe(SecretCipher.name, () => {
  it('should round-trip a secret and never put the plaintext in the ciphertext', () => {
    const cipher = new SecretCipher(KEY_A);
    const ciphertext = cipher.encrypt(SECRET, 'partner_app:1:secret');
    expect(ciphertext).toMatch(new RegExp(`^v1\\.${keyIdOf(KEY_A)}\\.`));
    expect(ciphertext).not.toContain(SECRET);
    expect(ciphertext.toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(cipher.decrypt(ciphertext, 'partner_app:1:secret')).toBe(SECRET);
  });

  it('should give a different ciphertext for the same secret each time (random IV)', () => {
    const cipher = new SecretCipher(KEY_A);
    expect(cipher.encrypt(SECRET, 'c')).not.toBe(cipher.encrypt(SECRET, 'c'));
  });

  it('should refuse a ciphertext moved to another row (associated data) or tampered with', () => {
    const cipher = new SecretCipher(KEY_A);
    const ciphertext = cipher.encrypt(SECRET, 'partner_app:1:secret');
    expect(() => cipher.decrypt(ciphertext, 'partner_app:2:secret')).toThrow(SecretDecryptionError);
    const parts = ciphertext.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'partner_app:1:secret')).toThrow(/authentication failed/);
    expect(() => cipher.decrypt(SECRET, 'partner_app:1:secret')).toThrow(/not a v1 ciphertext/);
  });

  it('should decrypt under an old key, write under the new one, and name an unknown key', () => {
    const before = new SecretCipher(KEY_A);
    const old = before.encrypt(SECRET, 'c');
    const during = new SecretCipher(KEY_B, [KEY_A]);
    expect(during.decrypt(old, 'c')).toBe(SECRET);
    expect(during.needsReencryption(old)).toBe(true);
    const rewritten = during.encrypt(SECRET, 'c');
    expect(during.needsReencryption(rewritten)).toBe(false);
    expect(SecretCipher.keyIdIn(rewritten)).toBe(keyIdOf(KEY_B));
    const after = new SecretCipher(KEY_B);
    expect(() => after.decrypt(old, 'c')).toThrow(new RegExp(`key ${keyIdOf(KEY_A)} is neither`));
    expect(after.decrypt(rewritten, 'c')).toBe(SECRET);
  });

  it('should refuse a key that is not 64 hex characters', () => {
    expect(() => new SecretCipher('abc')).toThrow(/64 hex/);
    expect(() => new SecretCipher(KEY_A, ['zz'])).toThrow(/64 hex/);
  });
});
