import { Global, Module } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** Ops surface: liveness, readiness (other modules register checks), Prometheus metrics. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthService, MetricsService],
  exports: [HealthService, MetricsService],
})
export class HealthModule {}
