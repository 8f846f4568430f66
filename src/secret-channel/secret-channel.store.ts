import { EntityManager, QueryFailedError } from 'typeorm';
import { PartnerError } from '../common/errors/partner-error';
import { SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { SecretChannelMember } from './entities/secret-channel-member.entity';
import { ChannelStatus, SecretChannel } from './entities/secret-channel.entity';

/*
 * Row access shared by the secret-channel services. Every transaction that changes a channel or its
 * memberships locks the channel row first (then membership rows, then key bindings), so concurrent
 * requests on one channel are serialised and cannot deadlock on each other.
 */

export const CHANNEL_ENTITY = 'secret-channel';
export const MEMBER_ENTITY = 'secret-channel-member';
export const KEY_ENTITY = 'secret-channel-key';

/**
 * The invalidation topic of cached data derived from one group channel, keyed by channelNumber: every
 * commit that changes a channel or one of its memberships invalidates it (CacheInvalidationService).
 */
export const SECRET_CHANNEL_TOPIC = 'secret-channel';

/** The channel row, locked FOR UPDATE until the transaction ends. */
export function lockChannelByNumber(m: EntityManager, channelNumber: string): Promise<SecretChannel | null> {
  return m
    .getRepository(SecretChannel)
    .createQueryBuilder('c')
    .setLock('pessimistic_write')
    .where('c.channelNumber = :channelNumber', { channelNumber })
    .getOne();
}

/** The live (status normal) channel, locked; ME18109 when it is unknown, closed or dissolved. */
export async function lockLiveChannel(m: EntityManager, channelNumber: string): Promise<SecretChannel> {
  const channel = await lockChannelByNumber(m, channelNumber);
  if (!channel || channel.status !== ChannelStatus.Normal) {
    throw new PartnerError('ME18109');
  }
  return channel;
}

export function lockMember(
  m: EntityManager,
  channelId: string,
  accountId: string,
): Promise<SecretChannelMember | null> {
  return m
    .getRepository(SecretChannelMember)
    .createQueryBuilder('mb')
    .setLock('pessimistic_write')
    .where('mb.channelId = :channelId AND mb.accountId = :accountId', { channelId, accountId })
    .getOne();
}

export function keysBoundTo(
  m: EntityManager,
  accountId: string,
  channelId: string,
  lock = false,
): Promise<SecretChannelKeyBinding[]> {
  const qb = m
    .getRepository(SecretChannelKeyBinding)
    .createQueryBuilder('k')
    .where('k.accountId = :accountId AND k.channelId = :channelId', { accountId, channelId })
    .orderBy('k.actionType', 'ASC');
  return (lock ? qb.setLock('pessimistic_write') : qb).getMany();
}

/**
 * Locks account rows FOR UPDATE in a fixed order (applies and transfers of one owner queue on the
 * owner's row). Returns the ids that exist.
 */
export async function lockAccounts(m: EntityManager, accountIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(accountIds)].sort();
  const rows = await m.query<Array<{ id: string }>>(
    `SELECT account_id AS id FROM account WHERE account_id IN (${ids.map(() => '?').join(',')}) ORDER BY account_id FOR UPDATE`,
    ids,
  );
  return new Set(rows.map((r) => r.id));
}

/** Channels an owner has that are not dissolved (closed ones count: reopening must not break the limit). */
export function countLiveChannelsOf(m: EntityManager, ownerAccountId: string): Promise<number> {
  return m
    .getRepository(SecretChannel)
    .createQueryBuilder('c')
    .where('c.ownerAccountId = :ownerAccountId AND c.status IN (:...live)', {
      ownerAccountId,
      live: [ChannelStatus.Normal, ChannelStatus.Closed],
    })
    .getCount();
}

export async function ownsLiveChannelNamed(m: EntityManager, ownerAccountId: string, name: string): Promise<boolean> {
  const found = await m
    .getRepository(SecretChannel)
    .findOne({ where: { ownerAccountId, liveName: name }, select: { id: true } });
  return found !== null;
}

/** True for a duplicate-key failure on the named unique index. */
export function isDuplicateKey(err: unknown, indexName: string): boolean {
  const driverError =
    err instanceof QueryFailedError ? (err.driverError as { code?: string; message?: string }) : undefined;
  return driverError?.code === 'ER_DUP_ENTRY' && (driverError.message ?? '').includes(indexName);
}

export function unixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}
