import { Caller, ActingAccount, PartnerCaller, PartnerParams } from '../common/decorators/partner.decorators';
import { PartnerController, PartnerRoute } from '../common/decorators/controllers.decorator';
import { COMMIT_DEADLINE_MS, currentDeadline } from '../common/overload/request-deadline';
import {
  ApplyMicroChannelDto,
  CheckApplyMicroChannelDto,
  GetMicroChannelInfoDto,
  ModifyMicroChannelDto,
  RecheckMicroChannelDto,
} from './dto/micro-channel.dto';
import { MicroChannelInfo, microChannelInfo, PendingEditItem, pendingEditItem } from './dto/micro-channel.response.dto';
import { MicroChannelApplicationService } from './micro-channel-application.service';
import { ChannelDecision, MicroChannelEditService } from './micro-channel-edit.service';
import { MicroChannelReviewService, ReviewOptions } from './micro-channel-review.service';

/** Time left after speech synthesis for the decision's transaction to reach its COMMIT. */
const DECISION_ALLOWANCE_MS = 400;
const DEFAULT_PAGE_COUNT = 20;

const RECHECK_DECISIONS: Record<'1' | '2' | '3' | '4', ChannelDecision> = {
  '1': 'reject',
  '2': 'approve',
  '3': 'close',
  '4': 'reopen',
};

/** Partner requests commit by their commit deadline (src/common/overload), so synthesis must end before it. */
function partnerReviewOptions(): ReviewOptions {
  const untilCommitDeadline = currentDeadline()?.msUntil(COMMIT_DEADLINE_MS) ?? COMMIT_DEADLINE_MS;
  return { synthesisDeadline: Date.now() + untilCommitDeadline - DECISION_ALLOWANCE_MS };
}

/** The micro-channel routes of the partner API (API.md 5.4, 5.6). */
@PartnerController('micro-channel')
export class MicroChannelReviewController {
  constructor(
    private readonly applications: MicroChannelApplicationService,
    private readonly edits: MicroChannelEditService,
    private readonly review: MicroChannelReviewService,
  ) {}

  @PartnerRoute('applyMicroChannel', 'Apply for a micro channel; it goes live when a reviewer approves it')
  async apply(
    @PartnerParams() dto: ApplyMicroChannelDto,
    @Caller() caller: PartnerCaller,
  ): Promise<{ applyIdx: string }> {
    const applyIdx = await this.applications.apply(
      { accountId: dto.accountID, appKey: caller.appKey },
      dto.channelNumber,
      {
        channelName: dto.channelName,
        channelIntroduction: dto.channelIntroduction,
        chiefAnnouncerIntr: dto.chiefAnnouncerIntr,
        channelCityCode: dto.channelCityCode,
        channelCatalogID: dto.channelCatalogID,
        channelCatalogUrl: dto.channelCatalogUrl,
        channelKeyWords: dto.channelKeyWords,
      },
    );
    return { applyIdx };
  }

  @PartnerRoute('checkApplyMicroChannel', 'First review of a micro-channel application (reviewers only)')
  @ActingAccount('checkAccountID')
  async checkApply(@PartnerParams() dto: CheckApplyMicroChannelDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.applications.reviewApplication(
      { accountId: dto.checkAccountID, appKey: caller.appKey },
      dto.applyIdx,
      dto.checkStatus === '2' ? 'approve' : 'reject',
      dto.checkRemark ?? '',
      partnerReviewOptions(),
    );
    return 'ok!';
  }

  @PartnerRoute('modifyMicroChannel', 'File an edit of a live micro channel for re-review (owner only)')
  async modify(
    @PartnerParams() dto: ModifyMicroChannelDto,
    @Caller() caller: PartnerCaller,
  ): Promise<{ applyIdx: string }> {
    const applyIdx = await this.edits.fileEdit({ accountId: dto.accountID, appKey: caller.appKey }, dto.channelNumber, {
      channelName: dto.channelName,
      channelIntroduction: dto.channelIntroduction,
      chiefAnnouncerIntr: dto.chiefAnnouncerIntr,
      channelCityCode: dto.channelCityCode,
      channelCatalogID: dto.channelCatalogID,
      channelCatalogUrl: dto.channelCatalogUrl,
      channelKeyWords: dto.channelKeyWords,
    });
    return { applyIdx };
  }

  @PartnerRoute('getMicroChannelInfo', 'A live micro channel with its spoken name and (for the owner) its pending edit')
  async info(@PartnerParams() dto: GetMicroChannelInfoDto): Promise<MicroChannelInfo> {
    const { channel, pendingEdit } = await this.edits.channelInfo(dto.accountID, dto.channelNumber);
    return microChannelInfo(channel, pendingEdit);
  }

  @PartnerRoute(
    'recheckMicroChannel',
    'Re-review: list pending edits (infoType 1) or decide (infoType 2); reviewers only',
  )
  @ActingAccount('checkAccountID')
  async recheck(
    @PartnerParams() dto: RecheckMicroChannelDto,
    @Caller() caller: PartnerCaller,
  ): Promise<{ count: string; list: PendingEditItem[] } | string> {
    const reviewer = { accountId: dto.checkAccountID, appKey: caller.appKey };
    if (dto.infoType === '1') {
      await this.review.requireReviewer(reviewer.accountId);
      const page = await this.edits.listPendingEdits({
        cityCode: dto.cityCode,
        catalogId: dto.catalogID,
        channelName: dto.channelName,
        channelNumber: dto.channelNumber,
        page: dto.startPage === undefined ? 1 : Number(dto.startPage),
        pageSize: dto.pageCount === undefined ? DEFAULT_PAGE_COUNT : Number(dto.pageCount),
      });
      return { count: String(page.total), list: page.items.map((edit) => pendingEditItem(edit, edit.channel)) };
    }
    await this.edits.recheck(
      reviewer,
      { ownerAccountId: dto.accountID!, channelNumber: dto.channelNumber!, applyIdx: dto.applyIdx },
      RECHECK_DECISIONS[dto.checkStatus!],
      dto.checkRemark ?? '',
      partnerReviewOptions(),
    );
    return 'ok!';
  }
}
