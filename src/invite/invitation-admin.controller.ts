import { Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/decorators/controllers.decorator';
import { InvitationIdParamDto, InvitationQueryDto } from './dto/invitation-query.dto';
import { InvitationResponseDto } from './dto/invitation.response.dto';
import { InviteService } from './invite.service';

/** Invitations with their Weibo delivery, acceptance and callback state (API.md 7). */
@AdminController('invitations')
export class InvitationAdminController {
  constructor(private readonly invites: InviteService) {}

  @Get()
  @ApiOperation({ summary: 'List invitations, newest first, by temp channel, sender and/or receiver.' })
  async list(@Query() q: InvitationQueryDto): Promise<{ total: number; items: InvitationResponseDto[] }> {
    const { total, items } = await this.invites.list({
      tempChannelId: q.tempChannelID,
      senderAccountId: q.senderAccountID,
      receiverAccountId: q.receiverAccountID,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return { total, items: items.map((i) => InvitationResponseDto.from(i)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole life of one invitation.' })
  async get(@Param() params: InvitationIdParamDto): Promise<InvitationResponseDto> {
    const invitation = await this.invites.find(params.id);
    if (!invitation) {
      throw new NotFoundException({ statusCode: 404, message: 'invitation not found', errors: { id: 'not found' } });
    }
    return InvitationResponseDto.from(invitation);
  }
}
