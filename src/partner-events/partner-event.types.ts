/** Every event a partner app can subscribe to (API.md 12). */
export const PARTNER_EVENTS = [
  'secret_channel.created',
  'secret_channel.member_joined',
  'secret_channel.join_requested',
  'secret_channel.member_quit',
  'secret_channel.member_status_changed',
  'secret_channel.member_role_changed',
  'secret_channel.transferred',
  'secret_channel.status_changed',
  'secret_channel.dissolved',
  'micro_channel.application_decided',
  'micro_channel.edit_decided',
  'micro_channel.status_changed',
  'invitation.accepted',
] as const;

export type PartnerEventName = (typeof PARTNER_EVENTS)[number];

/** What a write path records about its change; the outbox adds the id and the time. */
export interface PartnerEventInput {
  event: PartnerEventName;
  channelNumber: string;
  /** The account whose request caused it; omitted for the service's own actions (a timed mute running out). */
  actorAccountId?: string | null;
  /** The member acted on; omitted for channel-level events. */
  subjectAccountId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}
