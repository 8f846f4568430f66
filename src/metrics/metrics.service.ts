import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus registry of this process: HTTP traffic by route and ERRORCODE, queue gauges. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, status and partner ERRORCODE',
    labelNames: ['method', 'route', 'status', 'errorcode'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and partner ERRORCODE',
    labelNames: ['method', 'route', 'errorcode'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly queueJobs = new Gauge({
    name: 'queue_jobs',
    help: 'Bull jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });

  /** Jobs this process ran to the end; only worker processes ever count any (API.md 13). */
  readonly queueJobsProcessed = new Counter({
    name: 'queue_jobs_processed_total',
    help: 'Bull jobs this process processed, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });

  /** List reads by where they ran: a replica's host:port, or `primary` (no replica, or a fallback). */
  readonly replicaReads = new Counter({
    name: 'db_list_reads_total',
    help: 'List reads by the database that answered them',
    labelNames: ['target'],
    registers: [this.registry],
  });
  readonly replicaUp = new Gauge({
    name: 'db_replica_up',
    help: '1 while a read replica is used for list reads, 0 while it is skipped',
    labelNames: ['replica'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(method: string, route: string, status: number, errorCode: string, seconds: number): void {
    this.requests.inc({ method, route, status: String(status), errorcode: errorCode });
    this.latency.observe({ method, route, errorcode: errorCode }, seconds);
  }
}
