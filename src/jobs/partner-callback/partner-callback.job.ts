/** One callback to the inviting partner about an accepted invitation (read from the invitation row). */
export interface PartnerCallbackJob {
  invitationId: string;
  /**
   * Unix ms when the partner answered 2xx, set on the job before the row is updated: if recording it
   * fails, the retry records this instead of calling the partner a second time.
   */
  deliveredAt?: number;
}

export type PartnerCallbackResult =
  { status: 'delivered'; httpStatus?: number } | { status: 'skipped'; state: string } | { status: 'missing' };

/** Stable job id: accepting twice (or re-queuing) never queues a second callback. */
export function partnerCallbackJobId(invitationId: string): string {
  return `invitation-${invitationId}-callback`;
}
