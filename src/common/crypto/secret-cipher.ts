import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_PATTERN = /^[0-9A-Fa-f]{64}$/;

/** The id a ciphertext records of its key: a short hash of the key, so ids need no configuration of their own. */
export function keyIdOf(keyHex: string): string {
  return createHash('sha256').update(`chsvc-secret-key:${keyHex.toLowerCase()}`).digest('hex').slice(0, 8);
}

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * Secrets at rest (API.md 10): AES-256-GCM under the current key; every ciphertext names its key id so
 * old keys (SECRET_ENCRYPTION_KEYS_OLD) still decrypt during a key change. The `context` is bound as
 * associated data (e.g. `partner_app:<appKey>:secret`), so a ciphertext copied onto another row fails
 * to decrypt instead of handing that row someone else's secret.
 *
 * Format: `v1.<keyId>.<iv base64url>.<ciphertext+tag base64url>`.
 */
export class SecretCipher {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKeyHex: string, oldKeysHex: string[] = []) {
    for (const hex of [currentKeyHex, ...oldKeysHex]) {
      if (!SECRET_KEY_PATTERN.test(hex)) {
        throw new Error('a secret encryption key must be 64 hex characters');
      }
    }
    this.currentKeyId = keyIdOf(currentKeyHex);
    this.keys.set(this.currentKeyId, Buffer.from(currentKeyHex, 'hex'));
    for (const hex of oldKeysHex) {
      const id = keyIdOf(hex);
      if (!this.keys.has(id)) {
        this.keys.set(id, Buffer.from(hex, 'hex'));
      }
    }
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const [version, keyId, ivText, bodyText, ...rest] = ciphertext.split('.');
    if (version !== VERSION || !keyId || !ivText || !bodyText || rest.length > 0) {
      throw new SecretDecryptionError('not a v1 ciphertext');
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `key ${keyId} is neither SECRET_ENCRYPTION_KEY nor in SECRET_ENCRYPTION_KEYS_OLD`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
      throw new SecretDecryptionError('truncated ciphertext');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretDecryptionError(`authentication failed (key ${keyId}, context ${context})`);
    }
  }

  /** The key id a ciphertext was written under, or null when it is not one of ours. */
  static keyIdIn(ciphertext: string): string | null {
    const [version, keyId] = ciphertext.split('.');
    return version === VERSION && keyId ? keyId : null;
  }

  /** True when `keyId` is the current key or one of SECRET_ENCRYPTION_KEYS_OLD. */
  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** True when the ciphertext is under an old key and `npm run reencrypt-secrets` should rewrite it. */
  needsReencryption(ciphertext: string): boolean {
    return SecretCipher.keyIdIn(ciphertext) !== this.currentKeyId;
  }
}

/** The service's cipher from its configuration (current key plus the old ones that still decrypt). */
export function secretCipherFrom(secrets: { currentKey: string; oldKeys: string[] }): SecretCipher {
  return new SecretCipher(secrets.currentKey, secrets.oldKeys);
}
