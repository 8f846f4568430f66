import { Global, Module } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { WorkerOpsServer } from './worker-ops.server';

/** Ops surface: liveness, readiness (other modules register checks), Prometheus metrics; a worker's own server. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthService, MetricsService, WorkerOpsServer],
  exports: [HealthService, MetricsService],
})
export class HealthModule {}
