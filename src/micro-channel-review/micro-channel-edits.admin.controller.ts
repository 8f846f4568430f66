import {
  BadGatewayException,
  BadRequestException,
  Body,
  ConflictException,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/decorators/controllers.decorator';
import { PartnerError } from '../common/errors/partner-error';
import {
  DecideMicroChannelEditDto,
  ListMicroChannelEditsQueryDto,
  MicroChannelEditParamsDto,
} from './dto/micro-channel-edit.admin.dto';
import { AdminChannelView, AdminEditView, adminEdit, adminEditDetail } from './dto/micro-channel.response.dto';
import { MicroChannelEditService } from './micro-channel-edit.service';

const DEFAULT_PAGE_COUNT = 20;

type EditDetail = { edit: AdminEditView; channel: AdminChannelView; changes: string[] };

/**
 * Translates the review rules' partner error codes into the admin API's status codes. The rules
 * themselves live in MicroChannelEditService only.
 */
function toHttpError(err: unknown): unknown {
  if (!(err instanceof PartnerError)) {
    return err;
  }
  const body = (statusCode: number, message: string, field: string, why: string) => ({
    statusCode,
    message,
    errors: { [field]: why },
  });
  switch (err.code) {
    case 'ME01023':
      return err.param === 'applyIdx'
        ? new NotFoundException(body(404, 'edit not found', 'applyIdx', 'not found'))
        : new BadRequestException(body(400, `${err.param ?? 'body'} is invalid`, err.param ?? 'body', 'is invalid'));
    case 'ME18053':
      return new ForbiddenException(
        body(403, 'reviewer account does not exist', 'reviewerAccountID', 'no such account'),
      );
    case 'ME18306':
      return new ForbiddenException(
        body(403, 'account is not a reviewer', 'reviewerAccountID', 'lacks the reviewer role'),
      );
    case 'ME18104':
      return new ConflictException(body(409, 'edit was already decided', 'applyIdx', 'already decided'));
    case 'ME18109':
      return new ConflictException(body(409, 'the channel is closed', 'applyIdx', 'channel is closed'));
    case 'ME18307':
      return new BadGatewayException(
        body(502, 'speech synthesis failed; nothing was changed', 'checkStatus', 'txt2voice failed'),
      );
    default:
      return err;
  }
}

/** The reviewers' console (API.md 7): pending edits of micro channels and decisions on them. */
@AdminController('micro-channel-edits')
export class MicroChannelEditsAdminController {
  constructor(private readonly service: MicroChannelEditService) {}

  @Get()
  @ApiOperation({
    summary: 'Pending edits of open micro channels, oldest first (filters as recheckMicroChannel infoType 1).',
  })
  async list(
    @Query() q: ListMicroChannelEditsQueryDto,
  ): Promise<{ total: number; startPage: number; pageCount: number; items: AdminEditView[] }> {
    const startPage = q.startPage ?? 1;
    const pageCount = q.pageCount ?? DEFAULT_PAGE_COUNT;
    const page = await this.service.listPendingEdits({
      cityCode: q.cityCode,
      catalogId: q.catalogID,
      channelName: q.channelName,
      channelNumber: q.channelNumber,
      page: startPage,
      pageSize: pageCount,
    });
    return { total: page.total, startPage, pageCount, items: page.items.map((edit) => adminEdit(edit, edit.channel)) };
  }

  @Get(':applyIdx')
  @ApiOperation({ summary: 'One edit (any status) beside its live channel, with the fields it changes.' })
  async show(@Param() params: MicroChannelEditParamsDto): Promise<EditDetail> {
    try {
      return adminEditDetail(await this.service.getEdit(params.applyIdx));
    } catch (err) {
      throw toHttpError(err);
    }
  }

  @Post(':applyIdx/decision')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Reject (1) or approve (2) an edit. Same rules as recheckMicroChannel: 403 not a reviewer, 404 unknown edit, ' +
      '409 already decided or channel closed, 502 speech synthesis failed (nothing changed).',
  })
  async decide(
    @Param() params: MicroChannelEditParamsDto,
    @Body() dto: DecideMicroChannelEditDto,
  ): Promise<EditDetail> {
    try {
      const detail = await this.service.decideEditById(
        { accountId: dto.reviewerAccountID, appKey: null },
        params.applyIdx,
        dto.checkStatus === 2 ? 'approve' : 'reject',
        dto.checkRemark ?? '',
      );
      return adminEditDetail(detail);
    } catch (err) {
      throw toHttpError(err);
    }
  }
}
