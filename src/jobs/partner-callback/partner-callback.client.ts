import { Injectable } from '@nestjs/common';
import { OutboundError, OutboundHttpClient } from '../../common/outbound/outbound-http.client';
import { signedForm } from '../../common/signature/sign';

const CALLBACK_TIMEOUT_MS = 5000;
const CALLBACK_MAX_REPLY_BYTES = 64 * 1024;

/** The fields a partner receives about an accepted invitation (API.md 5.5), before signing. */
export interface PartnerCallbackFields {
  invitationID: string;
  senderAccountID: string;
  receiverAccountID: string;
  tempChannelID: string;
  /** Unix seconds. */
  acceptTime: string;
  /** The inviting app: the partner verifies `sign` with this app's secret. */
  appKey: string;
}

/** The partner did not take the callback. `permanent`: retrying cannot help (refused URL). */
export class PartnerCallbackError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'PartnerCallbackError';
  }
}

/**
 * Tells a partner that its invitation was accepted: a form POST to the callback URL exactly as the
 * partner gave it (its own query string kept, not signed by us). Any 2xx is success; redirects are
 * not followed (a POST cannot be replayed safely across them).
 */
@Injectable()
export class PartnerCallbackClient {
  constructor(private readonly outbound: OutboundHttpClient) {}

  async send(callbackUrl: string, fields: PartnerCallbackFields, secret: string): Promise<{ httpStatus: number }> {
    let res;
    try {
      // Signed with the inviting app's secret.
      res = await this.outbound.postForm(callbackUrl, signedForm({ ...fields }, secret), {
        timeoutMs: CALLBACK_TIMEOUT_MS,
        maxBytes: CALLBACK_MAX_REPLY_BYTES,
      });
    } catch (err) {
      if (err instanceof OutboundError) {
        throw new PartnerCallbackError(`callback not delivered: ${err.message}`, err.permanent);
      }
      throw err;
    }
    if (res.status < 200 || res.status >= 300) {
      throw new PartnerCallbackError(`callback answered HTTP ${res.status}`, false);
    }
    return { httpStatus: res.status };
  }
}
