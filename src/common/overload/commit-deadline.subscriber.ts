import { Injectable, Logger } from '@nestjs/common';
import {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { PartnerError } from '../errors/partner-error';
import { currentDeadline, RequestDeadline } from './request-deadline';

/** TypeORM keeps the nesting depth on the runner without typing it; 1 is the outermost transaction. */
function depthOf(queryRunner: QueryRunner): number {
  return (queryRunner as unknown as { transactionDepth?: number }).transactionDepth ?? 1;
}

/**
 * Enforces the request deadline at the transaction boundaries of every DataSource.transaction (TypeORM
 * awaits subscribers right before START TRANSACTION and right before COMMIT, and rolls back when they
 * throw). A request past its commit deadline, or already answered, rolls back instead of committing
 * behind an error answer (API.md part two, "An error answer means nothing changed").
 * Code outside a partner request (queue workers, admin routes) has no deadline and is untouched.
 */
@Injectable()
export class CommitDeadlineSubscriber implements EntitySubscriberInterface {
  private readonly logger = new Logger(CommitDeadlineSubscriber.name);
  private readonly committing = new WeakMap<QueryRunner, RequestDeadline>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  beforeTransactionStart(): void {
    this.refuseLateStart();
  }

  /** Also after START TRANSACTION: the wait for a pooled connection may be what made the request late. */
  afterTransactionStart(): void {
    this.refuseLateStart();
  }

  beforeTransactionCommit(event: TransactionCommitEvent): void {
    const deadline = currentDeadline();
    // Savepoints (nested transactions) commit nothing by themselves.
    if (!deadline || depthOf(event.queryRunner) > 1) {
      return;
    }
    if (!deadline.beginCommit()) {
      this.logger.warn({
        msg: 'commit refused: request past its deadline, rolled back',
        ageMs: Date.now() - deadline.startedAt,
      });
      throw new PartnerError('ME01022');
    }
    this.committing.set(event.queryRunner, deadline);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    this.finish(event.queryRunner, true);
  }

  /** A COMMIT that failed is followed by a rollback. */
  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    this.finish(event.queryRunner, false);
  }

  private refuseLateStart(): void {
    const deadline = currentDeadline();
    if (deadline && !deadline.mayStartTransaction()) {
      throw new PartnerError('ME01022');
    }
  }

  private finish(queryRunner: QueryRunner, committed: boolean): void {
    const deadline = this.committing.get(queryRunner);
    if (deadline) {
      this.committing.delete(queryRunner);
      deadline.endCommit(committed);
    }
  }
}
