import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { SkipSignature } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import {
  adminChannel,
  adminEdit,
  adminEditDetail,
  partnerContent,
} from '../micro-channel-review/dto/micro-channel.response.dto';
import { MicroChannelQueueService } from '../micro-channel-review/micro-channel-queue.service';
import { changedFields } from '../micro-channel-review/entities/micro-channel-content';
import { MicroChannelApplicationService } from '../micro-channel-review/micro-channel-application.service';
import { MicroChannelEditService } from '../micro-channel-review/micro-channel-edit.service';
import { applicationStatusName } from '../micro-channel-review/micro-channel-review.service';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleRequest, pageContextOf } from './console-request';
import { ConsoleSession } from './console-session.service';
import { ConsoleAccessFor, ConsoleGuard } from './console.guard';
import {
  ApplyIdxParamDto,
  ChannelStatusFormDto,
  DecisionFormDto,
  DoneQueryDto,
  MicroChannelLookupQueryDto,
  MicroChannelNumberParamDto,
  ReviewQueueQueryDto,
} from './dto/console.dto';
import { doneNotice, Notice, PageContext, refusalNotice } from './views/layout';
import { decideThenRedirect, redirect, sendPage } from './views/respond';
import { applicationPage, editPage, microChannelPage, queuePage } from './views/review.views';

const DEFAULT_PAGE_COUNT = 20;

/**
 * The reviewers' pages (API.md 14). Every decision goes through MicroChannelApplicationService or
 * MicroChannelEditService, the same rules as checkApplyMicroChannel and recheckMicroChannel, acting as
 * the signed-in reviewer (audited under that account, app null). The console waits for speech synthesis
 * up to TTS_TIMEOUT_MS.
 */
@Controller('console/review')
@SkipSignature()
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
@ConsoleAccessFor('reviewer')
@ApiExcludeController()
export class ConsoleReviewController {
  constructor(
    private readonly applications: MicroChannelApplicationService,
    private readonly edits: MicroChannelEditService,
    private readonly queue: MicroChannelQueueService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async queuePage(@Req() req: ConsoleRequest, @Res() res: Response, @Query() q: ReviewQueueQueryDto): Promise<void> {
    const ctx = pageContextOf(req);
    const kind = q.kind ?? 'edits';
    const pageCount = q.pageCount ?? DEFAULT_PAGE_COUNT;
    const page = q.startPage ?? 1;
    const filters = {
      cityCode: q.cityCode,
      catalogId: q.catalogID,
      channelName: q.channelName,
      channelNumber: q.channelNumber,
    };
    // The other queue shows only its count: one row of it is read, not a page.
    const paging = (of: typeof kind) => (of === kind ? { page, pageSize: pageCount } : { page: 1, pageSize: 1 });
    const [edits, applications] = await Promise.all([
      this.edits.listPendingEdits({ ...filters, ...paging('edits') }),
      this.queue.listPendingApplications({ ...filters, ...paging('applications') }),
    ]);
    const rows =
      kind === 'edits'
        ? edits.items.map((e) => ({
            applyIdx: e.id,
            channelNumber: e.channel.channelNumber,
            channelName: e.content.name,
            cityName: e.content.cityName,
            catalogName: e.content.catalogName,
            accountID: e.accountId,
            createdAt: e.createdAt,
            changes: adminEditDetail({
              edit: e,
              channel: e.channel,
              changes: changedFields(e.channel.content, e.content),
            }).changes,
          }))
        : applications.items.map((a) => ({
            applyIdx: a.id,
            channelNumber: a.channelNumber,
            channelName: a.content.name,
            cityName: a.content.cityName,
            catalogName: a.content.catalogName,
            accountID: a.accountId,
            createdAt: a.createdAt,
          }));
    sendPage(
      res,
      200,
      queuePage(
        ctx,
        {
          kind,
          filters: {
            cityCode: q.cityCode,
            catalogID: q.catalogID,
            channelName: q.channelName,
            channelNumber: q.channelNumber,
            pageCount,
          },
          page,
          total: kind === 'edits' ? edits.total : applications.total,
          counts: { edits: edits.total, applications: applications.total },
          rows,
        },
        doneNotice(ctx, q.done),
      ),
    );
  }

  @Get('edits/:applyIdx')
  async edit(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: ApplyIdxParamDto,
    @Query() q: DoneQueryDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    await this.renderEdit(ctx, res, params.applyIdx, 200, doneNotice(ctx, q.done));
  }

  @Post('edits/:applyIdx/decision')
  async decideEdit(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: ApplyIdxParamDto,
    @Body() form: DecisionFormDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    const decision = form.checkStatus === '2' ? 'approve' : 'reject';
    await decideThenRedirect(
      res,
      () =>
        this.edits.decideEditById(
          { accountId: ctx.session.accountId, appKey: null },
          params.applyIdx,
          decision,
          form.checkRemark ?? '',
        ),
      `/console/review/edits/${params.applyIdx}?done=${decision === 'approve' ? 'approved' : 'rejected'}`,
      (err) => this.renderEdit(ctx, res, params.applyIdx, 409, [refusalNotice(ctx, err)]),
    );
  }

  @Get('applications/:applyIdx')
  async application(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: ApplyIdxParamDto,
    @Query() q: DoneQueryDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    await this.renderApplication(ctx, res, params.applyIdx, 200, doneNotice(ctx, q.done));
  }

  @Post('applications/:applyIdx/decision')
  async decideApplication(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: ApplyIdxParamDto,
    @Body() form: DecisionFormDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    const decision = form.checkStatus === '2' ? 'approve' : 'reject';
    await decideThenRedirect(
      res,
      () =>
        this.applications.reviewApplication(
          { accountId: ctx.session.accountId, appKey: null },
          params.applyIdx,
          decision,
          form.checkRemark ?? '',
        ),
      `/console/review/applications/${params.applyIdx}?done=${decision === 'approve' ? 'approved' : 'rejected'}`,
      (err) => this.renderApplication(ctx, res, params.applyIdx, 409, [refusalNotice(ctx, err)]),
    );
  }

  @Get('channels')
  lookup(@Res() res: Response, @Query() q: MicroChannelLookupQueryDto): void {
    redirect(res, q.number ? `/console/review/channels/${encodeURIComponent(q.number)}` : '/console/review');
  }

  @Get('channels/:channelNumber')
  async channel(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: MicroChannelNumberParamDto,
    @Query() q: DoneQueryDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    await this.renderChannel(ctx, res, params.channelNumber, 200, doneNotice(ctx, q.done));
  }

  /** Close or reopen: recheckMicroChannel checkStatus 3 / 4 for the channel's own owner. */
  @Post('channels/:channelNumber/status')
  async setChannelStatus(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: MicroChannelNumberParamDto,
    @Body() form: ChannelStatusFormDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    const found = await this.queue.channelWithEdits(params.channelNumber, 0);
    if (!found) {
      throw new NotFoundException();
    }
    await decideThenRedirect(
      res,
      () =>
        this.edits.recheck(
          { accountId: ctx.session.accountId, appKey: null },
          { ownerAccountId: found.channel.accountId, channelNumber: found.channel.channelNumber },
          form.action,
          form.checkRemark ?? '',
        ),
      `/console/review/channels/${found.channel.channelNumber}?done=${form.action === 'close' ? 'closed' : 'reopened'}`,
      (err) => this.renderChannel(ctx, res, params.channelNumber, 409, [refusalNotice(ctx, err)]),
    );
  }

  private async renderEdit(
    ctx: PageContext & { session: ConsoleSession },
    res: Response,
    applyIdx: string,
    status: number,
    notices: Notice[],
  ): Promise<void> {
    const detail = await this.edits.getEdit(applyIdx).catch((err: unknown) => {
      throw err instanceof PartnerError ? new NotFoundException() : err;
    });
    sendPage(res, status, editPage(ctx, ctx.session, adminEditDetail(detail), notices));
  }

  private async renderApplication(
    ctx: PageContext & { session: ConsoleSession },
    res: Response,
    applyIdx: string,
    status: number,
    notices: Notice[],
  ): Promise<void> {
    const a = await this.queue.getApplication(applyIdx).catch((err: unknown) => {
      throw err instanceof PartnerError ? new NotFoundException() : err;
    });
    sendPage(
      res,
      status,
      applicationPage(
        ctx,
        ctx.session,
        {
          applyIdx: a.id,
          channelNumber: a.channelNumber,
          accountID: a.accountId,
          status: applicationStatusName(a.status),
          content: partnerContent(a.content),
          createdAt: a.createdAt,
          reviewerAccountID: a.reviewerAccountId,
          reviewedAt: a.reviewedAt,
          checkRemark: a.checkRemark,
        },
        notices,
      ),
    );
  }

  private async renderChannel(
    ctx: PageContext & { session: ConsoleSession },
    res: Response,
    channelNumber: string,
    status: number,
    notices: Notice[],
  ): Promise<void> {
    const found = await this.queue.channelWithEdits(channelNumber, 20);
    if (!found) {
      throw new NotFoundException();
    }
    const audit = await this.audit.list({
      entityType: 'micro-channel',
      entityId: found.channel.id,
      limit: 20,
      offset: 0,
    });
    sendPage(
      res,
      status,
      microChannelPage(
        ctx,
        ctx.session,
        {
          channel: adminChannel(found.channel),
          edits: found.edits.map((e) => adminEdit(e, found.channel)),
          audit: audit.items,
        },
        notices,
      ),
    );
  }
}
