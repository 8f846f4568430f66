/** One Weibo post: the invitation whose recipient is told. Everything else is read from the invitation row. */
export interface WeiboPostJob {
  invitationId: string;
  /**
   * Set on the job as soon as the Weibo service accepted the post, before the row is updated: if
   * recording it fails, the retry records this bizid instead of posting a second time.
   */
  bizid?: string;
}

export type WeiboPostResult =
  { status: 'sent'; bizid: string } | { status: 'skipped'; state: string } | { status: 'missing' };

/** Stable job id: adding the same invitation twice never queues a second post. */
export function weiboPostJobId(invitationId: string): string {
  return `invitation-${invitationId}-weibo`;
}
