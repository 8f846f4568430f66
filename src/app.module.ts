import { BullModule } from '@nestjs/bull';
import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from './access/access.module';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { CatalogModule } from './catalog/catalog.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { SignatureGuard } from './common/guards/signature.guard';
import { TokenGuard } from './common/guards/token.guard';
import { AdminJsonMiddleware } from './common/http/admin-json.middleware';
import { RequestContextMiddleware } from './common/http/request-context.middleware';
import { SilentConnectionCloser } from './common/http/silent-connection.closer';
import { PartnerEnvelopeInterceptor } from './common/interceptors/partner-envelope.interceptor';
import { InFlightLimitMiddleware } from './common/overload/in-flight-limit.middleware';
import { OverloadModule } from './common/overload/overload.module';
import { PartnerBodyMiddleware } from './common/partner/partner-body.middleware';
import { GeoModule } from './common/geo/geo.module';
import { RedisConnectionFactory } from './common/redis/redis-connection.factory';
import { RedisModule } from './common/redis/redis.module';
import { SurfaceValidationPipe } from './common/validation/validation-options';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { AppConfig } from './config/configuration';
import { ReadReplicaModule } from './database/read-replica.module';
import { buildTypeOrmOptions } from './database/typeorm-options';
import { HealthModule } from './health/health.module';
import { QueueMonitorModule } from './jobs/queue-monitor/queue-monitor.module';
import { SpeechSynthesisModule } from './jobs/speech-synthesis/speech-synthesis.module';
import { StuckJobsModule } from './jobs/stuck-jobs/stuck-jobs.module';
import { InviteModule } from './invite/invite.module';
import { MicroChannelReviewModule } from './micro-channel-review/micro-channel-review.module';
import { PartnerEventsModule } from './partner-events/partner-events.module';
import { SecretChannelModule } from './secret-channel/secret-channel.module';

/**
 * The whole service. Built from a validated AppConfig so main.ts and the tests run the same wiring.
 * Global pipeline, in order: request context -> in-flight bound and deadline -> body parsing ->
 * SignatureGuard -> TokenGuard -> ValidationPipe -> envelope -> deadline -> handler; every failure goes
 * through AllExceptionsFilter.
 */
@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig): DynamicModule {
    const redisConnections = new RedisConnectionFactory(config.redis);
    // One instance, imported here and by the console: Nest 11 tells dynamic modules apart by reference.
    const invite = InviteModule.register(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...buildTypeOrmOptions(config.database), retryAttempts: 3, retryDelay: 1000 }),
        BullModule.forRoot({ prefix: redisConnections.bullPrefix, createClient: redisConnections.createBullClient }),
        RedisModule.forRoot(redisConnections),
        OverloadModule,
        ReadReplicaModule,
        GeoModule,
        AccessModule,
        CatalogModule,
        AuditModule,
        HealthModule,
        AdminModule,
        SpeechSynthesisModule.register(config),
        QueueMonitorModule,
        PartnerEventsModule.register(config),
        invite,
        StuckJobsModule.register(config),
        MicroChannelReviewModule,
        SecretChannelModule,
        ConsoleModule.register(invite),
      ],
      providers: [
        { provide: APP_PIPE, useClass: SurfaceValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useClass: SignatureGuard },
        { provide: APP_GUARD, useClass: TokenGuard },
        { provide: APP_INTERCEPTOR, useClass: PartnerEnvelopeInterceptor },
        SilentConnectionCloser,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    consumer.apply(InFlightLimitMiddleware).forRoutes({ path: 'clientcustom/{*path}', method: RequestMethod.ALL });
    consumer.apply(PartnerBodyMiddleware).forRoutes({ path: 'clientcustom/{*path}', method: RequestMethod.ALL });
    consumer.apply(AdminJsonMiddleware).forRoutes({ path: 'admin/{*path}', method: RequestMethod.ALL });
  }
}
