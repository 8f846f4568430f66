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
import { SkipSignature } from '../common/decorators/partner.decorators';
import { InviteService } from '../invite/invite.service';
import { ChannelStatus } from '../secret-channel/entities/secret-channel.entity';
import { SecretChannelService } from '../secret-channel/secret-channel.service';
import { ConsoleChannelsService } from './console-channels.service';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleRequest, pageContextOf } from './console-request';
import { ConsoleSession } from './console-session.service';
import { ConsoleAccessFor, ConsoleGuard } from './console.guard';
import {
  ChannelPageQueryDto,
  ChannelSearchQueryDto,
  ChannelStatusFormDto,
  ConsoleInvitationQueryDto,
  SecretChannelNumberParamDto,
} from './dto/console.dto';
import { doneNotice, Notice, PageContext, refusalNotice } from './views/layout';
import {
  channelPage,
  channelsPage,
  CHANNELS_PAGE_SIZE,
  INVITATIONS_PAGE_SIZE,
  invitationsPage,
  MEMBERS_PAGE_SIZE,
} from './views/operator.views';
import { decideThenRedirect, sendPage } from './views/respond';

const AUDIT_ROWS = 50;

/**
 * The operators' pages (API.md 14): group channels (find, members, audit trail, close / reopen through
 * SecretChannelService as manageSecretChannelUsers infoType 1 does, acting as the signed-in operator)
 * and invitations with their delivery state.
 */
@Controller('console')
@SkipSignature()
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
@ConsoleAccessFor('operator')
@ApiExcludeController()
export class ConsoleOperatorController {
  constructor(
    private readonly channels: ConsoleChannelsService,
    private readonly secretChannels: SecretChannelService,
    private readonly invites: InviteService,
  ) {}

  @Get('channels')
  async search(@Req() req: ConsoleRequest, @Res() res: Response, @Query() q: ChannelSearchQueryDto): Promise<void> {
    const page = q.startPage ?? 1;
    const result = await this.channels.search(q.q ?? '', page, CHANNELS_PAGE_SIZE);
    sendPage(res, 200, channelsPage(pageContextOf(req), q.q ?? '', page, result));
  }

  @Get('channels/:channelNumber')
  async channel(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: SecretChannelNumberParamDto,
    @Query() q: ChannelPageQueryDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    const notices = doneNotice(ctx, q.done);
    await this.render(ctx, res, params.channelNumber, q.startPage ?? 1, 200, notices);
  }

  @Post('channels/:channelNumber/status')
  async setStatus(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Param() params: SecretChannelNumberParamDto,
    @Body() form: ChannelStatusFormDto,
  ): Promise<void> {
    const ctx = pageContextOf(req);
    await decideThenRedirect(
      res,
      () =>
        this.secretChannels.setChannelStatus(
          ctx.session.accountId,
          params.channelNumber,
          form.action === 'close' ? ChannelStatus.Closed : ChannelStatus.Normal,
          { appKey: null },
        ),
      `/console/channels/${params.channelNumber}?done=${form.action === 'close' ? 'closed' : 'reopened'}`,
      (err) => this.render(ctx, res, params.channelNumber, 1, 409, [refusalNotice(ctx, err)]),
    );
  }

  @Get('invitations')
  async invitations(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Query() q: ConsoleInvitationQueryDto,
  ): Promise<void> {
    const page = q.startPage ?? 1;
    const result = await this.invites.list({
      tempChannelId: q.tempChannelID,
      senderAccountId: q.senderAccountID,
      receiverAccountId: q.receiverAccountID,
      limit: INVITATIONS_PAGE_SIZE,
      offset: (page - 1) * INVITATIONS_PAGE_SIZE,
    });
    const filters = {
      tempChannelID: q.tempChannelID,
      senderAccountID: q.senderAccountID,
      receiverAccountID: q.receiverAccountID,
    };
    sendPage(res, 200, invitationsPage(pageContextOf(req), filters, page, result));
  }

  private async render(
    ctx: PageContext & { session: ConsoleSession },
    res: Response,
    channelNumber: string,
    page: number,
    status: number,
    notices: Notice[],
  ): Promise<void> {
    const channel = await this.channels.find(channelNumber);
    if (!channel) {
      throw new NotFoundException();
    }
    const [members, audit] = await Promise.all([
      this.channels.members(channel.id, page, MEMBERS_PAGE_SIZE),
      this.channels.audit(channelNumber, AUDIT_ROWS),
    ]);
    sendPage(res, status, channelPage(ctx, ctx.session, { channel, members, page, audit }, notices));
  }
}
