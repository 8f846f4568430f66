import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere } from 'typeorm';
import { ReadReplicaService } from '../database/read-replica.service';
import { insertRow } from '../database/query-helpers';
import { AuditLog } from './entities/audit-log.entity';

export interface AuditEntry {
  actorAccountId?: string | null;
  appKey?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  remark?: string;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorAccountId?: string;
  limit: number;
  offset: number;
}

/** The audit trail of every state change. Features record inside their own transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly replicas: ReadReplicaService) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await insertRow(manager, AuditLog, {
      actorAccountId: entry.actorAccountId ?? null,
      appKey: entry.appKey ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: (entry.before ?? null) as AuditLog['before'] & object,
      after: (entry.after ?? null) as AuditLog['after'] & object,
      remark: (entry.remark ?? '').slice(0, 255),
    });
  }

  async list(query: AuditQuery): Promise<{ total: number; items: AuditLog[] }> {
    const where: FindOptionsWhere<AuditLog> = {};
    if (query.entityType) {
      where.entityType = query.entityType;
    }
    if (query.entityId) {
      where.entityId = query.entityId;
    }
    if (query.actorAccountId) {
      where.actorAccountId = query.actorAccountId;
    }
    // A list read: on a read replica when there is one (API.md 13).
    const [items, total] = await this.replicas.read((m) =>
      m.getRepository(AuditLog).findAndCount({ where, order: { id: 'DESC' }, take: query.limit, skip: query.offset }),
    );
    return { total, items };
  }
}
