import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import { ConsoleCredential } from './entities/console-credential.entity';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * scrypt cost: N = 2^15, r = 8 (32 MiB and about 60-100 ms per hash on this class of machine), so an
 * offline guess costs as much as a sign-in. The parameters travel in the stored string, so they can be
 * raised later without invalidating older hashes.
 */
const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, costLog2: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** costLog2, r, p, maxmem: 256 * 2 ** costLog2 * r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$<log2 N>$<r>$<p>$<salt base64url>$<key base64url>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST_LOG2, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', COST_LOG2, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costLog2, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !key) {
    return false;
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(costLog2), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: unknown accounts are checked against it so they take as long as known ones. */
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(18).toString('base64url'));
  return decoyHash;
}

/** Console passwords (API.md 14): set through the admin API, stored as a slow salted hash only. */
@Injectable()
export class ConsolePasswordService {
  constructor(@InjectRepository(ConsoleCredential) private readonly credentials: Repository<ConsoleCredential>) {}

  async set(accountId: string, password: string): Promise<ConsoleCredential> {
    const passwordHash = await hashPassword(password);
    await this.credentials.upsert({ accountId, passwordHash }, ['accountId']);
    return this.credentials.findOneByOrFail({ accountId });
  }

  /** True when the account has a console password and this is it; always spends one scrypt. */
  async check(accountId: string, password: string): Promise<boolean> {
    const credential = await this.credentials.findOneBy({ accountId });
    if (!credential) {
      await verifyPassword(password, await decoy());
      return false;
    }
    return verifyPassword(password, credential.passwordHash);
  }
}
