import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { TtlCache } from '../common/cache/ttl-cache';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { insertedOneRow } from '../database/query-helpers';
import { ReadReplicaService } from '../database/read-replica.service';
import { appSecretContext } from './app-secret-context';
import { PartnerApp } from './entities/partner-app.entity';

/** What the signature check needs; held decrypted in process memory only, never in Redis or MySQL. */
export interface AppCredentials {
  appKey: string;
  secret: string;
  /** The secret before the last rotation, still accepted until `previousValidUntilMs`. */
  previousSecret?: string;
  previousValidUntilMs?: number;
  requireTimestamp: boolean;
  enabled: boolean;
}

/** An app as the admin API shows it (API.md 10): never a secret. */
export interface AppView {
  appKey: string;
  name: string;
  enabled: boolean;
  requireTimestamp: boolean;
  createdAt: number;
  secretRotatedAt: number | null;
}

export interface CreateAppInput {
  name: string;
  requireTimestamp: boolean;
  /** An existing app's key, brought over unchanged (API.md 15); generated (10 digits) when absent. */
  appKey?: string;
  /** An existing app's secret, kept exactly as given; generated (40 uppercase hex) when absent. */
  secret?: string;
}

export interface UpdateAppInput {
  enabled?: boolean;
  requireTimestamp?: boolean;
  name?: string;
}

export const APP_TOPIC = 'partner-app';
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
const LOCAL_TTL_MS = 30_000;

const toUnix = (d: Date): number => Math.floor(d.getTime() / 1000);

/** Secrets that sign a request at `now`: the current one, and the previous one inside its grace period. */
export function signingSecrets(app: AppCredentials, now = Date.now()): string[] {
  return app.previousSecret !== undefined && app.previousValidUntilMs !== undefined && now <= app.previousValidUntilMs
    ? [app.secret, app.previousSecret]
    : [app.secret];
}

/**
 * Partner apps and their secrets (API.md 3, 10, 15). The signature check reads an in-process cache in front
 * of MySQL, so the hot path costs no database round trip; every change invalidates that cache on every
 * instance through the CacheInvalidationService (topic `partner-app`, key appKey) after it commits. Secrets
 * are stored as SecretCipher ciphertexts and never copied to Redis.
 */
@Injectable()
export class PartnerAppService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PartnerAppService.name);
  private readonly local = new TtlCache<AppCredentials | null>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly bus: CacheInvalidationService,
    private readonly audit: AuditService,
    private readonly replicas: ReadReplicaService,
  ) {
    bus.register(APP_TOPIC, this.local);
  }

  /**
   * Says at start what a key change left behind: secrets (current, or previous within a rotation's grace)
   * still under an old key (run reencrypt-secrets, which rewrites the same columns) or under a key this
   * instance does not have (their apps answer ME01022 until the key is configured).
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const rows = await this.dataSource.query<Array<{ appKey: string; current: string; previous: string | null }>>(
        'SELECT app_key AS appKey, secret_ciphertext AS current, previous_secret_ciphertext AS previous FROM partner_app',
      );
      const appsByOldKey = new Map<string, Set<string>>();
      for (const { appKey, current, previous } of rows) {
        for (const ciphertext of [current, previous]) {
          if (ciphertext && this.cipher.needsReencryption(ciphertext)) {
            const keyId = SecretCipher.keyIdIn(ciphertext) ?? 'none';
            appsByOldKey.set(keyId, (appsByOldKey.get(keyId) ?? new Set<string>()).add(appKey));
          }
        }
      }
      for (const [keyId, apps] of appsByOldKey) {
        if (this.cipher.knows(keyId)) {
          this.logger.warn({
            msg: 'app secrets under an old key: run npm run reencrypt-secrets',
            keyId,
            apps: apps.size,
          });
        } else {
          this.logger.error({ msg: 'app secrets under a key this instance does not have', keyId, apps: apps.size });
        }
      }
    } catch (err) {
      this.logger.warn({ msg: 'could not check the keys of the app secrets', err: (err as Error).message });
    }
  }

  findCredentials(appKey: string): Promise<AppCredentials | null> {
    return this.bus.cached(this.local, appKey, LOCAL_TTL_MS, () => this.loadCredentials(appKey));
  }

  /**
   * Creates an app; returns null when the given appKey is taken. The plaintext secret is in this answer only.
   * Generated keys are retried on collision.
   */
  async create(input: CreateAppInput): Promise<(AppView & { secret: string }) | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const appKey = input.appKey ?? String(randomInt(1_000_000_000, 10_000_000_000));
      const secret = input.secret ?? randomBytes(20).toString('hex').toUpperCase();
      const created = await this.dataSource.transaction(async (m) => {
        const result = await m
          .createQueryBuilder()
          .insert()
          .into(PartnerApp)
          .orIgnore()
          .values({
            appKey,
            name: input.name,
            secretCiphertext: this.cipher.encrypt(secret, appSecretContext(appKey)),
            requireTimestamp: input.requireTimestamp,
            enabled: true,
          })
          .execute();
        if (!insertedOneRow(result)) {
          return null;
        }
        const row = await m.getRepository(PartnerApp).findOneByOrFail({ appKey });
        await this.audit.record(m, {
          appKey,
          action: 'app.create',
          entityType: 'partner_app',
          entityId: appKey,
          after: { ...this.auditState(row), imported: input.appKey !== undefined },
        });
        return row;
      });
      if (created) {
        // A device may have probed this appKey before it existed: drop the cached "unknown app" everywhere.
        await this.bus.invalidate(APP_TOPIC, appKey);
        return { ...this.view(created), secret };
      }
      if (input.appKey !== undefined) {
        return null;
      }
    }
    throw new Error('could not allocate a free appKey');
  }

  async list(): Promise<AppView[]> {
    // A list read: on a read replica when there is one (API.md 13).
    const rows = await this.replicas.read((m) =>
      m.getRepository(PartnerApp).find({ order: { createdAt: 'ASC', appKey: 'ASC' } }),
    );
    return rows.map((r) => this.view(r));
  }

  /** Enables/disables, renames or changes requireTimestamp (a no-op writes nothing); null for an unknown appKey. */
  async update(appKey: string, patch: UpdateAppInput): Promise<AppView | null> {
    const updated = await this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, appKey);
      if (!row) {
        return null;
      }
      const before = this.auditState(row);
      if (
        (patch.enabled ?? row.enabled) === row.enabled &&
        (patch.requireTimestamp ?? row.requireTimestamp) === row.requireTimestamp &&
        (patch.name ?? row.name) === row.name
      ) {
        return { row, changed: false };
      }
      if (patch.enabled !== undefined) {
        row.enabled = patch.enabled;
      }
      if (patch.requireTimestamp !== undefined) {
        row.requireTimestamp = patch.requireTimestamp;
      }
      if (patch.name !== undefined) {
        row.name = patch.name;
      }
      await m.getRepository(PartnerApp).save(row);
      await this.audit.record(m, {
        appKey,
        action: 'app.update',
        entityType: 'partner_app',
        entityId: appKey,
        before,
        after: this.auditState(row),
      });
      return { row, changed: true };
    });
    if (updated?.changed) {
      await this.bus.invalidate(APP_TOPIC, appKey);
    }
    return updated ? this.view(updated.row) : null;
  }

  /**
   * A new secret that signs at once; the current one keeps signing for `graceSeconds` (0: stops at once).
   * Null for an unknown appKey.
   */
  async rotateSecret(
    appKey: string,
    graceSeconds: number,
  ): Promise<{ appKey: string; secret: string; previousValidUntil: number } | null> {
    const secret = randomBytes(20).toString('hex').toUpperCase();
    const now = new Date();
    const previousValidUntil = new Date(now.getTime() + graceSeconds * 1000);
    const rotated = await this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, appKey);
      if (!row) {
        return false;
      }
      row.previousSecretCiphertext = graceSeconds > 0 ? row.secretCiphertext : null;
      row.previousValidUntil = graceSeconds > 0 ? previousValidUntil : null;
      row.secretCiphertext = this.cipher.encrypt(secret, appSecretContext(appKey));
      row.secretRotatedAt = now;
      await m.getRepository(PartnerApp).save(row);
      await this.audit.record(m, {
        appKey,
        action: 'app.rotate-secret',
        entityType: 'partner_app',
        entityId: appKey,
        after: { graceSeconds, previousValidUntil: toUnix(previousValidUntil), keyId: this.cipher.currentKeyId },
      });
      return true;
    });
    if (!rotated) {
      return null;
    }
    await this.bus.invalidate(APP_TOPIC, appKey);
    return { appKey, secret, previousValidUntil: toUnix(previousValidUntil) };
  }

  private async loadCredentials(appKey: string): Promise<AppCredentials | null> {
    const row = await this.dataSource.getRepository(PartnerApp).findOneBy({ appKey });
    if (!row) {
      return null;
    }
    const context = appSecretContext(appKey);
    const creds: AppCredentials = {
      appKey: row.appKey,
      secret: this.cipher.decrypt(row.secretCiphertext, context),
      requireTimestamp: row.requireTimestamp,
      enabled: row.enabled,
    };
    if (row.previousSecretCiphertext && row.previousValidUntil && row.previousValidUntil.getTime() >= Date.now()) {
      creds.previousSecret = this.cipher.decrypt(row.previousSecretCiphertext, context);
      creds.previousValidUntilMs = row.previousValidUntil.getTime();
    }
    return creds;
  }

  private lock(m: EntityManager, appKey: string): Promise<PartnerApp | null> {
    return m.getRepository(PartnerApp).findOne({ where: { appKey }, lock: { mode: 'pessimistic_write' } });
  }

  private auditState(row: PartnerApp): Record<string, unknown> {
    return { name: row.name, enabled: row.enabled, requireTimestamp: row.requireTimestamp };
  }

  private view(row: PartnerApp): AppView {
    return {
      appKey: row.appKey,
      name: row.name,
      enabled: row.enabled,
      requireTimestamp: row.requireTimestamp,
      createdAt: toUnix(row.createdAt),
      secretRotatedAt: row.secretRotatedAt ? toUnix(row.secretRotatedAt) : null,
    };
  }
}
