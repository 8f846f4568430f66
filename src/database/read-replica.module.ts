import { Global, Module } from '@nestjs/common';
import { ReadReplicaService } from './read-replica.service';

/** List reads on MySQL read replicas (DB_REPLICA_HOSTS), for every feature module. */
@Global()
@Module({ providers: [ReadReplicaService], exports: [ReadReplicaService] })
export class ReadReplicaModule {}
