import { Module } from '@nestjs/common';
import { QueueMonitorService } from './queue-monitor.service';

/** Bull Board, readiness checks and queue gauges for every queue in MONITORED_QUEUES. */
@Module({ providers: [QueueMonitorService], exports: [QueueMonitorService] })
export class QueueMonitorModule {}
