import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RedisFailure } from '../common/errors/partner-error';
import { RedisConnection } from '../common/redis/redis-connection.factory';
import { RedisService } from '../common/redis/redis.service';

// The four presence keys are read and written together (MULTI, SDIFF), so in a Redis Cluster they must
// share a hash slot: the `{presence}` hash tag puts them in one.
/** Every online account. */
const ONLINE = '{presence}:online';
/** Accounts currently in some temp channel (kept beside TEMP_CHANNEL_OF so recipients are one SDIFF). */
const IN_TEMP_CHANNEL = '{presence}:in-temp-channel';
/** accountID -> the temp channel the account is in. */
const TEMP_CHANNEL_OF = '{presence}:temp-channel-of';
/** Accounts that turned invitations off (absent = accepts them). */
const INVITES_OFF = '{presence}:invites-off';
/** Temp channels that are live (an invitation to them may be sent). */
const LIVE_TEMP_CHANNELS = 'temp-channel:live';
const inviteSlotKey = (tempChannelId: string): string => `temp-channel:${tempChannelId}:invite-slot`;

export interface Presence {
  accountID: string;
  online: boolean;
  tempChannelID: string | null;
  acceptInvites: boolean;
}

export interface PresenceChange {
  online: boolean;
  /** undefined: unchanged; null: left its temp channel; a string: now in that temp channel. */
  tempChannelID?: string | null;
  /** undefined: unchanged. */
  acceptInvites?: boolean;
}

/**
 * Presence and temp-channel state (API.md 7), as the device gateway reports it through the admin API:
 * who is online, which temp channel each account is in, who accepts invitations, which temp channels
 * are live, and the per-temp-channel invite interval. All of it lives in Redis.
 */
@Injectable()
export class PresenceService {
  constructor(private readonly redis: RedisService) {}

  /** Applies one report atomically. Going offline also leaves any temp channel. */
  async update(accountId: string, change: PresenceChange): Promise<Presence> {
    const tempChannel = change.online ? change.tempChannelID : null;
    await this.exec((r) => {
      const tx = r.multi();
      if (change.online) {
        tx.sadd(ONLINE, accountId);
      } else {
        tx.srem(ONLINE, accountId);
      }
      if (tempChannel === null) {
        tx.srem(IN_TEMP_CHANNEL, accountId).hdel(TEMP_CHANNEL_OF, accountId);
      } else if (tempChannel !== undefined) {
        tx.sadd(IN_TEMP_CHANNEL, accountId).hset(TEMP_CHANNEL_OF, accountId, tempChannel);
      }
      if (change.acceptInvites === true) {
        tx.srem(INVITES_OFF, accountId);
      } else if (change.acceptInvites === false) {
        tx.sadd(INVITES_OFF, accountId);
      }
      return tx.exec();
    });
    return this.get(accountId);
  }

  async get(accountId: string): Promise<Presence> {
    const results = await this.exec((r) =>
      r.multi().sismember(ONLINE, accountId).hget(TEMP_CHANNEL_OF, accountId).sismember(INVITES_OFF, accountId).exec(),
    );
    const [online, tempChannel, invitesOff] = results as [number, string | null, number];
    return { accountID: accountId, online: online === 1, tempChannelID: tempChannel, acceptInvites: invitesOff !== 1 };
  }

  async setTempChannelLive(tempChannelId: string, live: boolean): Promise<void> {
    await this.redis.run((r) =>
      live ? r.sadd(LIVE_TEMP_CHANNELS, tempChannelId) : r.srem(LIVE_TEMP_CHANNELS, tempChannelId),
    );
  }

  async isTempChannelLive(tempChannelId: string): Promise<boolean> {
    return (await this.redis.run((r) => r.sismember(LIVE_TEMP_CHANNELS, tempChannelId))) === 1;
  }

  /**
   * Who an invitation from `senderId` goes to (API.md 5.5): every online account except the sender,
   * accounts already in a temp channel and accounts that turned invitations off. Sorted for stable order.
   */
  async inviteRecipients(senderId: string): Promise<string[]> {
    const eligible = await this.redis.run((r) => r.sdiff(ONLINE, IN_TEMP_CHANNEL, INVITES_OFF));
    return eligible.filter((id) => id !== senderId).sort();
  }

  /**
   * Starts the temp channel's invite interval if none is running (SET NX EX: atomic, so of two
   * simultaneous invites exactly one gets the slot). Returns the token that owns the slot, or null.
   */
  async claimInviteSlot(tempChannelId: string, seconds: number): Promise<string | null> {
    const token = randomBytes(16).toString('hex');
    const claimed = await this.redis.run((r) => r.set(inviteSlotKey(tempChannelId), token, 'EX', seconds, 'NX'));
    return claimed === 'OK' ? token : null;
  }

  /** Gives the slot back (an invite that failed after claiming it), unless it is no longer ours. */
  async releaseInviteSlot(tempChannelId: string, token: string): Promise<boolean> {
    // Only if it still holds our token: after expiry another invite may own it.
    return this.redis.releaseIfHeld(inviteSlotKey(tempChannelId), token);
  }

  /** Seconds until the temp channel may invite again (0 when it may now). */
  async inviteSlotTtl(tempChannelId: string): Promise<number> {
    const ttl = await this.redis.run((r) => r.ttl(inviteSlotKey(tempChannelId)));
    return ttl > 0 ? ttl : 0;
  }

  /** Runs a MULTI and fails as a whole if any command in it failed. */
  private async exec(
    build: (client: RedisConnection) => Promise<Array<[Error | null, unknown]> | null>,
  ): Promise<unknown[]> {
    const results = await this.redis.run(build);
    if (!results) {
      throw new RedisFailure('transaction aborted');
    }
    const failed = results.find(([err]) => err);
    if (failed) {
      throw new RedisFailure(failed[0]);
    }
    return results.map(([, value]) => value);
  }
}
