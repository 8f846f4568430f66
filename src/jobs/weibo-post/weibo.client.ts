import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { OutboundError, OutboundHttpClient } from '../../common/outbound/outbound-http.client';
import { signedForm } from '../../common/signature/sign';
import { AppConfig } from '../../config/configuration';

export const WEIBO_SEND_PATH = '/weiboapi/v2/sendMultimediaPersonalWeibo';
/** Fixed by the contract (API.md 5.5): message priority, validity in seconds, sender type "system". */
export const WEIBO_LEVEL = '19';
export const WEIBO_INTERVAL_SECONDS = '300';
export const WEIBO_SENDER_TYPE = '2';
const WEIBO_TIMEOUT_MS = 5000;
const WEIBO_MAX_REPLY_BYTES = 64 * 1024;

export interface WeiboMessage {
  senderAccountId: string;
  receiverAccountId: string;
  multimediaUrl: string;
  callbackUrl: string;
}

/** The Weibo service did not take the post. `permanent`: retrying cannot help (configuration, policy). */
export class WeiboPostError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'WeiboPostError';
  }
}

interface WeiboReply {
  ERRORCODE?: unknown;
  RESULT?: unknown;
}

/**
 * The Weibo (push message) service: one personal multimedia post per recipient, a form POST signed
 * with this service's own WEIBO_APP_KEY / WEIBO_APP_SECRET (API.md 5.5). Goes through the guarded
 * outbound client, so an internal Weibo host must be listed in OUTBOUND_ALLOWED_HOSTS.
 */
@Injectable()
export class WeiboClient implements OnModuleInit {
  private readonly logger = new Logger(WeiboClient.name);

  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttpClient,
  ) {}

  onModuleInit(): void {
    const { apiUrl, appKey, appSecret } = this.config.weibo;
    if (!apiUrl || !appKey || !appSecret) {
      this.logger.warn(
        'WEIBO_API_URL, WEIBO_APP_KEY or WEIBO_APP_SECRET is not set: invitations will be marked failed',
      );
    }
  }

  /** The signed form fields of one post, exactly as sent. */
  buildForm(message: WeiboMessage, appKey: string, appSecret: string): Record<string, string> {
    const params: Record<string, string> = {
      appKey,
      senderAccountID: message.senderAccountId,
      receiverAccountID: message.receiverAccountId,
      multimediaURL: message.multimediaUrl,
      callbackURL: message.callbackUrl,
      level: WEIBO_LEVEL,
      interval: WEIBO_INTERVAL_SECONDS,
      senderType: WEIBO_SENDER_TYPE,
    };
    // Signed over the raw values; URL-encoding happens only when the form is serialised.
    return signedForm(params, appSecret);
  }

  /** Posts one message; resolves with the Weibo service's bizid, throws WeiboPostError otherwise. */
  async sendMultimediaPersonalWeibo(message: WeiboMessage): Promise<{ bizid: string }> {
    const { apiUrl, appKey, appSecret } = this.config.weibo;
    if (!apiUrl || !appKey || !appSecret) {
      throw new WeiboPostError('WEIBO_API_URL, WEIBO_APP_KEY and WEIBO_APP_SECRET must be configured', true);
    }
    let res;
    try {
      res = await this.outbound.postForm(
        apiUrl.replace(/\/+$/, '') + WEIBO_SEND_PATH,
        this.buildForm(message, appKey, appSecret),
        { timeoutMs: WEIBO_TIMEOUT_MS, maxBytes: WEIBO_MAX_REPLY_BYTES },
        { Accept: 'application/json' },
      );
    } catch (err) {
      if (err instanceof OutboundError) {
        throw new WeiboPostError(`weibo service unreachable: ${err.message}`, err.permanent);
      }
      throw err;
    }
    const text = res.body.toString('utf8');
    if (res.status < 200 || res.status >= 300) {
      throw new WeiboPostError(`weibo service answered HTTP ${res.status}: ${excerpt(text)}`, false);
    }
    let reply: WeiboReply;
    try {
      reply = JSON.parse(text) as WeiboReply;
    } catch {
      throw new WeiboPostError(`weibo service answered no JSON: ${excerpt(text)}`, false);
    }
    const bizid = (reply.RESULT as { bizid?: unknown } | null | undefined)?.bizid;
    if (
      String(reply.ERRORCODE) === '0' &&
      (typeof bizid === 'string' || typeof bizid === 'number') &&
      String(bizid) !== ''
    ) {
      return { bizid: String(bizid) };
    }
    throw new WeiboPostError(`weibo service refused: ${excerpt(text)}`, false);
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
