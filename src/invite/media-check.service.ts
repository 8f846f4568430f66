import { Injectable, Logger } from '@nestjs/common';
import { checkAmrNb } from '../common/audio/amr';
import { PartnerError } from '../common/errors/partner-error';
import { OutboundError, OutboundHttpClient } from '../common/outbound/outbound-http.client';

/** API.md 5.5: the voice message must answer within 3 s with at most 2 MiB. */
export const MEDIA_TIMEOUT_MS = 3000;
export const MEDIA_MAX_BYTES = 2 * 1024 * 1024;
const MEDIA_MAX_REDIRECTS = 3;

/** Checks that an invitation's multimediaURL really is a playable AMR-NB voice message. */
@Injectable()
export class MediaCheckService {
  private readonly logger = new Logger(MediaCheckService.name);

  constructor(private readonly outbound: OutboundHttpClient) {}

  /** Fetches the URL (guarded, capped) and walks its AMR-NB frames; any problem is `ME01023 multimediaURL`. */
  async requireAmrNb(url: string): Promise<void> {
    let reason: string | null;
    try {
      const res = await this.outbound.request(url, {
        timeoutMs: MEDIA_TIMEOUT_MS,
        maxBytes: MEDIA_MAX_BYTES,
        maxRedirects: MEDIA_MAX_REDIRECTS,
      });
      if (res.status !== 200) {
        reason = `HTTP ${res.status}`;
      } else {
        const check = checkAmrNb(res.body);
        reason = check.valid ? null : `not AMR-NB: ${check.reason}`;
      }
    } catch (err) {
      if (!(err instanceof OutboundError)) {
        throw err;
      }
      reason = `${err.kind}: ${err.message}`;
    }
    if (reason !== null) {
      this.logger.log({ msg: 'multimediaURL refused', reason });
      throw PartnerError.badParam('multimediaURL');
    }
  }
}
