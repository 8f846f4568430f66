import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisService } from '../common/redis/redis.service';
import { withTimeout } from '../common/async/with-timeout';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  details?: Record<string, unknown>;
  /** Present (false) on a check that does not decide readiness. */
  required?: false;
}

/** A named readiness check another module contributes (queues add theirs). */
export interface ReadinessCheck {
  name: string;
  /** False: reported, but its being down leaves the instance ready (default true). */
  required?: boolean;
  check(): Promise<DependencyStatus>;
}

const CHECK_TIMEOUT_MS = 2000;

async function timed(fn: () => Promise<unknown>): Promise<DependencyStatus> {
  const started = Date.now();
  try {
    await withTimeout(fn(), CHECK_TIMEOUT_MS);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', latencyMs: Date.now() - started, error: (err as Error).message };
  }
}

@Injectable()
export class HealthService {
  private readonly extra: ReadinessCheck[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
  ) {}

  register(check: ReadinessCheck): void {
    this.extra.push(check);
  }

  async readiness(): Promise<{ status: 'ok' | 'error'; checks: Record<string, DependencyStatus> }> {
    const [mysql, redis, ...others] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      timed(async () => {
        if (!(await this.redis.ping())) {
          throw new Error('no PONG');
        }
      }),
      ...this.extra.map((c) => c.check()),
    ]);
    const checks: Record<string, DependencyStatus> = { mysql, redis };
    this.extra.forEach(
      (c, i) => (checks[c.name] = c.required === false ? { ...others[i], required: false } : others[i]),
    );
    const ok = Object.values(checks).every((c) => c.status === 'up' || c.required === false);
    return { status: ok ? 'ok' : 'error', checks };
  }
}
