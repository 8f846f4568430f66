import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertRow } from '../database/query-helpers';
import { PartnerEvent } from './entities/partner-event.entity';
import { PartnerEventInput } from './partner-event.types';

/**
 * Writes partner events into the outbox (API.md 12). Always called with the EntityManager of the
 * transaction that makes the change, so the event exists exactly when the change committed; the relay
 * delivers it later whatever happened to Redis or this process after the commit.
 *
 * Events of one channel are written while that channel's row is locked, so their ids (the eventIDs)
 * follow the order in which the changes committed.
 */
@Injectable()
export class EventOutboxService {
  /** Writes the event in the caller's transaction; returns its eventID. */
  async record(m: EntityManager, input: PartnerEventInput): Promise<string> {
    return insertRow(m, PartnerEvent, {
      event: input.event,
      channelNumber: input.channelNumber,
      actorAccountId: input.actorAccountId ?? '',
      subjectAccountId: input.subjectAccountId ?? '',
      data: JSON.stringify({ before: input.before ?? null, after: input.after ?? null }),
      occurredAt: new Date(),
      relayedAt: null,
    });
  }

  /**
   * Takes back an event whose change was undone by a later transaction (an acceptance reverted because
   * its callback could not be queued): gone if not relayed yet, and no delivery of it starts afterwards.
   * A delivery already being sent cannot be called back.
   */
  async withdraw(m: EntityManager, eventId: string): Promise<void> {
    await m.query('DELETE FROM partner_event WHERE id = ? AND relayed_at IS NULL', [eventId]);
    await m.query(
      `DELETE FROM webhook_delivery WHERE event_id = ? AND status = 'pending' AND attempts = 0
       AND (lease_until IS NULL OR lease_until < ?)`,
      [eventId, new Date()],
    );
  }
}
