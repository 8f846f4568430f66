import { CallbackState, DeliveryState, Invitation } from '../entities/invitation.entity';

const seconds = (date: Date | null): number | null => (date ? Math.floor(date.getTime() / 1000) : null);

/** The whole life of one invitation, as the admin API shows it. Times are unix seconds. */
export class InvitationResponseDto {
  invitationID: string;
  batchID: string;
  appKey: string;
  senderAccountID: string;
  receiverAccountID: string;
  tempChannelID: string;
  multimediaURL: string;
  callbackURL: string;
  createdAt: number;
  delivery: {
    state: DeliveryState;
    attempts: number;
    bizid: string | null;
    sentAt: number | null;
    lastError: string | null;
  };
  acceptedAt: number | null;
  callback: { state: CallbackState; attempts: number; deliveredAt: number | null; lastError: string | null };

  static from(row: Invitation): InvitationResponseDto {
    return {
      invitationID: row.id,
      batchID: row.batchId,
      appKey: row.appKey,
      senderAccountID: row.senderAccountId,
      receiverAccountID: row.receiverAccountId,
      tempChannelID: row.tempChannelId,
      multimediaURL: row.multimediaUrl,
      callbackURL: row.callbackUrl,
      createdAt: seconds(row.createdAt) ?? 0,
      delivery: {
        state: row.deliveryState,
        attempts: row.deliveryAttempts,
        bizid: row.weiboBizid,
        sentAt: seconds(row.deliveredAt),
        lastError: row.deliveryError,
      },
      acceptedAt: seconds(row.acceptedAt),
      callback: {
        state: row.callbackState,
        attempts: row.callbackAttempts,
        deliveredAt: seconds(row.callbackDeliveredAt),
        lastError: row.callbackError,
      },
    };
  }
}
