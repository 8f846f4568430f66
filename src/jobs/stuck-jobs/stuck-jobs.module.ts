import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/configuration';
import { Invitation } from '../../invite/entities/invitation.entity';
import { StuckJobSweeperService } from './stuck-job-sweeper.service';

/**
 * The periodic sweep for work whose queue job was lost (worker processes only run it). The producers it
 * re-queues through are the instances their own modules registered, found by class (as the queue monitor
 * finds queues): importing their config-built modules again would register their processors twice.
 */
@Module({})
export class StuckJobsModule {
  static register(_config: AppConfig): DynamicModule {
    return {
      module: StuckJobsModule,
      imports: [TypeOrmModule.forFeature([Invitation])],
      providers: [StuckJobSweeperService],
      exports: [StuckJobSweeperService],
    };
  }
}
