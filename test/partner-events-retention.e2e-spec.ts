import { EventRetentionService, RETENTION_BATCH } from '../src/partner-events/event-retention.service';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';

const DAY = 86_400_000;
const NOW = new Date('2026-12-02T00:00:00Z');
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY);

/**
 * Retention of the outbox (API.md 12, WEBHOOK_RETENTION_DAYS): against the real MySQL tables, which events and
 * deliveries one purge deletes and which it must keep.
 */
describe('partner events: retention (e2e)', () => {
  let t: TestApp;
  let retention: EventRetentionService;

  beforeAll(async () => {
    t = await createTestApp({ APP_ROLE: 'api', WEBHOOK_RETENTION_DAYS: '30' });
    retention = t.app.get(EventRetentionService);
  });
  beforeEach(() => resetState(t));
  afterAll(() => t.close());

  async function event(relayedDaysAgo: number | null): Promise<string> {
    const relayedAt = relayedDaysAgo === null ? null : daysAgo(relayedDaysAgo);
    const result = await t.dataSource.query<{ insertId: number }>(
      `INSERT INTO partner_event (event, channel_number, data, occurred_at, relayed_at)
       VALUES ('secret_channel.member_joined', '000000001', '{}', ?, ?)`,
      [relayedAt ?? daysAgo(0), relayedAt],
    );
    return String(result.insertId);
  }

  async function delivery(eventId: string, appKey: string, status: 'pending' | 'delivered' | 'failed'): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO webhook_delivery (event_id, app_key, url, channel_number, event, status, next_attempt_at, created_at)
       VALUES (?, ?, 'http://127.0.0.1:9/hook', '000000001', 'secret_channel.member_joined', ?, ?, ?)`,
      [eventId, appKey, status, daysAgo(40), daysAgo(40)],
    );
  }

  const eventIds = async (): Promise<string[]> =>
    (await t.dataSource.query<Array<{ id: string }>>('SELECT id FROM partner_event ORDER BY id')).map((r) =>
      String(r.id),
    );
  const deliveryKeys = async (): Promise<string[]> =>
    (
      await t.dataSource.query<Array<{ event_id: string; app_key: string }>>(
        'SELECT event_id, app_key FROM webhook_delivery ORDER BY event_id, app_key',
      )
    ).map((r) => `${r.event_id}:${r.app_key}`);

  it('should delete old relayed events with their finished deliveries, and keep what is pending, unrelayed or recent', async () => {
    const old = await event(40);
    await delivery(old, '1111111111', 'delivered');
    await delivery(old, '2222222222', 'failed');
    const held = await event(39);
    await delivery(held, '1111111111', 'delivered');
    await delivery(held, '2222222222', 'pending');
    await event(35); // relayed, delivered to nobody: deleted
    const unrelayed = await event(null);
    const recent = await event(29);
    await delivery(recent, '1111111111', 'delivered');

    const report = await retention.purge(NOW);

    expect(report).toEqual({ deliveries: 3, events: 2 });
    expect(await eventIds()).toEqual([held, unrelayed, recent]);
    expect(await deliveryKeys()).toEqual([`${held}:2222222222`, `${recent}:1111111111`]);
    // Nothing left to do: a second purge deletes nothing.
    expect(await retention.purge(NOW)).toEqual({ deliveries: 0, events: 0 });
  });

  it('should keep the newest event even when it is old, so eventIDs never go back', async () => {
    await event(60);
    const newest = await event(50);
    await delivery(newest, '1111111111', 'delivered');

    expect(await retention.purge(NOW)).toEqual({ deliveries: 0, events: 1 });
    expect(await eventIds()).toEqual([newest]);
  });

  it('should work off a backlog larger than one batch', async () => {
    const values = Array.from({ length: RETENTION_BATCH * 2 + 5 }, () => "('x', '', '{}', ?, ?)").join(',');
    const at = daysAgo(45);
    await t.dataSource.query(
      `INSERT INTO partner_event (event, channel_number, data, occurred_at, relayed_at) VALUES ${values}`,
      Array.from({ length: RETENTION_BATCH * 2 + 5 }, () => [at, at]).flat(),
    );
    const kept = await event(1);

    expect(await retention.purge(NOW)).toEqual({ deliveries: 0, events: RETENTION_BATCH * 2 + 5 });
    expect(await eventIds()).toEqual([kept]);
  });
});
