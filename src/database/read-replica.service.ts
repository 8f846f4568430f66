import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, DatabaseConfig, HostPort } from '../config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { buildTypeOrmOptions } from './typeorm-options';
import { withTimeout } from '../common/async/with-timeout';

/** How often each replica is checked: a recovered replica is used again within this (API.md 13: 30 s). */
export const REPLICA_PROBE_INTERVAL_MS = 2000;

interface Replica {
  name: string;
  address: HostPort;
  dataSource?: DataSource;
  /** Usable for reads: connected, answering, replicating, and not behind by more than the allowed lag. */
  healthy: boolean;
  reason: string;
  lagSeconds: number | null;
}

/**
 * List reads on MySQL read replicas (API.md 13, DB_REPLICA_HOSTS). Features pass the read as a function of
 * an EntityManager to `read()`; it runs on a healthy replica (round robin) and, when that replica fails or
 * does not answer within DB_REPLICA_TIMEOUT_MS, again on the primary, so the caller still answers within
 * the 5 s of API.md 2. Everything else (writes, transactions and the reads inside them, reads that must
 * see the caller's own write) keeps using the primary DataSource directly.
 *
 * Every REPLICA_PROBE_INTERVAL_MS each replica is asked for its replication status: one that does not
 * answer, has no running replication, or lags more than DB_REPLICA_MAX_LAG_SECONDS is skipped until a
 * probe finds it fine again. A replica that fails a read is skipped at once.
 */
@Injectable()
export class ReadReplicaService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplicaService.name);
  private readonly replicas: Replica[];
  private readonly db: DatabaseConfig;
  private next = 0;
  private timer?: NodeJS.Timeout;
  private probing?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.db = config.database;
    this.replicas = config.database.replicas.map((address) => ({
      name: `${address.host}:${address.port}`,
      address,
      healthy: false,
      reason: 'not checked yet',
      lagSeconds: null,
    }));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.replicas.length === 0) {
      return;
    }
    await this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), REPLICA_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.probing;
    await Promise.all(this.replicas.map((r) => this.drop(r)));
  }

  /** A list read: on a healthy replica when there is one, else (or when it fails) on the primary. */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const replica = this.pick();
    if (replica?.dataSource) {
      const manager = replica.dataSource.manager;
      try {
        const result = await withTimeout(work(manager), this.db.replicaTimeoutMs);
        this.metrics.replicaReads.inc({ target: replica.name });
        return result;
      } catch (err) {
        this.markDown(replica, `read failed: ${(err as Error).message}`);
      }
    }
    this.metrics.replicaReads.inc({ target: 'primary' });
    return work(this.primary.manager);
  }

  private pick(): Replica | undefined {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length];
      if (replica.healthy) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return replica;
      }
    }
    return undefined;
  }

  private probeAll(): Promise<void> {
    // A slow probe round is not started twice.
    this.probing ??= Promise.all(this.replicas.map((r) => this.probe(r))).then(
      () => {
        this.probing = undefined;
      },
      () => {
        this.probing = undefined;
      },
    );
    return this.probing;
  }

  private async probe(replica: Replica): Promise<void> {
    try {
      const lag = await withTimeout(
        (async () => {
          replica.dataSource ??= await this.connect(replica);
          return this.replicationLag(replica.dataSource);
        })(),
        this.db.replicaTimeoutMs,
      );
      replica.lagSeconds = lag;
      if (lag === null) {
        this.markDown(replica, 'replication is not running');
      } else if (lag > this.db.replicaMaxLagSeconds) {
        this.markDown(replica, `lags ${lag} s behind the primary`);
      } else {
        this.markUp(replica);
      }
    } catch (err) {
      this.markDown(replica, `probe failed: ${(err as Error).message}`);
      // A fresh pool next time: the old one may hold connections to a server that went away.
      await this.drop(replica);
    }
  }

  private async connect(replica: Replica): Promise<DataSource> {
    const dataSource = new DataSource({
      ...buildTypeOrmOptions({ ...this.db, host: replica.address.host, port: replica.address.port }),
      connectTimeout: this.db.replicaTimeoutMs,
      maxQueryExecutionTime: this.db.replicaTimeoutMs,
      enableQueryTimeout: true,
      extra: { waitForConnections: true, queueLimit: 200, enableKeepAlive: true },
    });
    await dataSource.initialize();
    return dataSource;
  }

  /** Seconds behind the primary; null when the server is not replicating (threads stopped, or not a replica). */
  private async replicationLag(dataSource: DataSource): Promise<number | null> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await dataSource.query('SHOW REPLICA STATUS');
    } catch {
      // MySQL before 8.0.22 and MariaDB before 10.5.1 know only the old name.
      rows = await dataSource.query('SHOW SLAVE STATUS');
    }
    if (rows.length === 0) {
      return null;
    }
    const raw = rows[0].Seconds_Behind_Master ?? rows[0].Seconds_Behind_Source;
    return raw === null || raw === undefined ? null : Number(raw);
  }

  private markUp(replica: Replica): void {
    if (!replica.healthy) {
      this.logger.log({ msg: 'read replica in use', replica: replica.name, lagSeconds: replica.lagSeconds });
    }
    replica.healthy = true;
    replica.reason = 'ok';
    this.metrics.replicaUp.set({ replica: replica.name }, 1);
  }

  private markDown(replica: Replica, reason: string): void {
    if (replica.healthy || replica.reason !== reason) {
      this.logger.warn({ msg: 'read replica skipped; list reads go to the primary', replica: replica.name, reason });
    }
    replica.healthy = false;
    replica.reason = reason;
    this.metrics.replicaUp.set({ replica: replica.name }, 0);
  }

  private async drop(replica: Replica): Promise<void> {
    const dataSource = replica.dataSource;
    replica.dataSource = undefined;
    if (dataSource?.isInitialized) {
      await dataSource.destroy().catch(() => undefined);
    }
  }
}
