import { Injectable } from '@nestjs/common';
import { OutboundError, OutboundHttpClient } from '../common/outbound/outbound-http.client';
import { signedForm } from '../common/signature/sign';

/** API.md 12: a 2xx within 5 s is delivered. */
export const WEBHOOK_TIMEOUT_MS = 5000;
const WEBHOOK_MAX_REPLY_BYTES = 64 * 1024;

/** The fields of one event delivery to one app, before signing (API.md 12). */
export interface WebhookFields {
  event: string;
  eventID: string;
  occurredAt: string;
  channelNumber: string;
  actorAccountID: string;
  subjectAccountID: string;
  data: string;
  appKey: string;
}

/** The receiver did not take the delivery. `permanent`: retrying cannot help (a refused address). */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly statusCode: number | null = null,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/** POSTs one signed event to a partner's webhook through the outbound policy; redirects are not followed. */
@Injectable()
export class WebhookClient {
  constructor(private readonly outbound: OutboundHttpClient) {}

  async send(url: string, fields: WebhookFields, secret: string): Promise<{ statusCode: number }> {
    let res;
    try {
      // Signed with the receiving app's secret.
      res = await this.outbound.postForm(url, signedForm({ ...fields }, secret), {
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        maxBytes: WEBHOOK_MAX_REPLY_BYTES,
      });
    } catch (err) {
      if (err instanceof OutboundError) {
        throw new WebhookDeliveryError(`not delivered: ${err.message}`, err.permanent);
      }
      throw err;
    }
    if (res.status < 200 || res.status >= 300) {
      throw new WebhookDeliveryError(`answered HTTP ${res.status}`, false, res.status);
    }
    return { statusCode: res.status };
  }
}
