import { Injectable, Logger } from '@nestjs/common';
import { AccountService } from '../access/account.service';
import { CatalogService } from '../catalog/catalog.service';
import { PartnerError } from '../common/errors/partner-error';
import { CityService } from '../common/geo/city.service';
import { SpeechSynthesisFailedError, VoiceClipRef } from '../jobs/speech-synthesis/speech-synthesis.job';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { ApplicationStatus } from './entities/micro-channel-application.entity';
import { copyContent, MicroChannelContent } from './entities/micro-channel-content';
import { EditStatus } from './entities/micro-channel-edit.entity';
import { MicroChannelStatus } from './entities/micro-channel.entity';

/** The spoken name of a micro channel is this prefix followed by its name. */
export const VOICE_PREFIX = '微频道';

export interface ReviewActor {
  /** The reviewer (role `reviewer`), or the owner for the owner's own actions. */
  accountId: string;
  /** The partner app the request came through; null for the admin console. */
  appKey: string | null;
}

export interface ReviewOptions {
  /**
   * Epoch milliseconds by which speech synthesis must have finished. Partner requests must be
   * answered within 5 s while TTS_TIMEOUT_MS may be longer; a synthesis still running at the
   * deadline counts as failed (ME18307), so no approval lands after the caller was answered.
   */
  synthesisDeadline?: number;
}

/** The owner's description of a micro channel as partner parameters carry it (raw, not yet resolved). */
export interface ContentInput {
  channelName: string;
  channelIntroduction: string;
  chiefAnnouncerIntr: string;
  channelCityCode: string;
  channelCatalogID: string;
  channelCatalogUrl?: string;
  channelKeyWords?: string;
}

export type EditDecision = 'reject' | 'approve';

const EDIT_STATUS_NAMES: Record<EditStatus, string> = {
  [EditStatus.Pending]: 'pending',
  [EditStatus.Rejected]: 'rejected',
  [EditStatus.Approved]: 'approved',
  [EditStatus.Superseded]: 'superseded',
};
const APPLICATION_STATUS_NAMES: Record<ApplicationStatus, string> = {
  [ApplicationStatus.Pending]: 'pending',
  [ApplicationStatus.Rejected]: 'rejected',
  [ApplicationStatus.Approved]: 'approved',
};
const CHANNEL_STATUS_NAMES: Record<MicroChannelStatus, string> = {
  [MicroChannelStatus.Open]: 'open',
  [MicroChannelStatus.Closed]: 'closed',
};

export function editStatusName(status: EditStatus): string {
  return EDIT_STATUS_NAMES[status];
}

export function applicationStatusName(status: ApplicationStatus): string {
  return APPLICATION_STATUS_NAMES[status];
}

export function channelStatusName(status: MicroChannelStatus): string {
  return CHANNEL_STATUS_NAMES[status];
}

/** Numbers are unique regardless of case; this is the form the unique keys hold. */
export function numberKeyOf(channelNumber: string): string {
  return channelNumber.toLowerCase();
}

/** Rows a write changed (0 when the driver does not say). */
export function affectedRows(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}

/** A micro channel's content as audit rows carry it. */
export function contentAudit(content: MicroChannelContent): Record<string, unknown> {
  return { ...copyContent(content) };
}

/**
 * What first review (MicroChannelApplicationService) and re-review (MicroChannelEditService) share:
 * the reviewer check, resolving the owner's content, and the spoken name's speech synthesis.
 */
@Injectable()
export class MicroChannelReviewService {
  private readonly logger = new Logger(MicroChannelReviewService.name);

  constructor(
    private readonly accounts: AccountService,
    private readonly catalogs: CatalogService,
    private readonly cities: CityService,
    private readonly speech: SpeechSynthesisProducer,
  ) {}

  /** ME18306 unless the account has the reviewer role (ME18053 when it does not exist). */
  async requireReviewer(accountId: string): Promise<void> {
    await this.accounts.requireRole(accountId, 'reviewer');
  }

  cityNameOf(code: string): string {
    const name = this.cities.nameOf(code);
    if (name === null) {
      throw PartnerError.badParam('channelCityCode');
    }
    return name;
  }

  async resolveContent(input: ContentInput): Promise<MicroChannelContent> {
    const cityName = this.cityNameOf(input.channelCityCode);
    const catalog = await this.catalogs.requireUsable(input.channelCatalogID, 'micro');
    const content = new MicroChannelContent();
    content.name = input.channelName;
    content.introduction = input.channelIntroduction;
    content.chiefAnnouncerIntr = input.chiefAnnouncerIntr;
    content.cityCode = input.channelCityCode;
    content.cityName = cityName;
    content.catalogId = catalog.catalogId;
    content.catalogName = catalog.name;
    content.logoUrl = input.channelCatalogUrl ?? '';
    content.keyWords = input.channelKeyWords ?? '';
    return content;
  }

  /** `微频道` + name through the speech-synthesis queue; any failure or a missed deadline is ME18307. */
  async synthesize(name: string, options: ReviewOptions): Promise<VoiceClipRef> {
    const text = VOICE_PREFIX + name;
    const synthesis = this.speech.synthesizeNow(text);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (options.synthesisDeadline === undefined) {
        return await synthesis;
      }
      const remaining = options.synthesisDeadline - Date.now();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SpeechSynthesisFailedError(`not finished within ${remaining} ms`)),
          Math.max(0, remaining),
        );
      });
      // The losing synthesis may still settle later; its outcome is no longer wanted.
      synthesis.catch(() => undefined);
      return await Promise.race([synthesis, deadline]);
    } catch (err) {
      if (err instanceof SpeechSynthesisFailedError) {
        this.logger.warn({ msg: 'speech synthesis failed', text, reason: err.message });
        throw new PartnerError('ME18307');
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
