import { PartnerController, PartnerRoute } from '../common/decorators/controllers.decorator';
import { ActingAccount, Caller, PartnerCaller, PartnerParams } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { InviteUserJoinDto } from './dto/invite-user-join.dto';
import { InviteService } from './invite.service';

/** Partner routes of invitations to live temp channels (API.md 5.5, 5.6). */
@PartnerController('invite')
export class InviteController {
  constructor(private readonly invites: InviteService) {}

  @PartnerRoute('inviteUserJoin', 'Invite every eligible online account to a live temp channel with a voice message')
  @ActingAccount(null)
  inviteUserJoin(@PartnerParams() dto: InviteUserJoinDto, @Caller() caller: PartnerCaller): Promise<{ count: number }> {
    return this.invites.invite(caller.appKey, dto);
  }

  @PartnerRoute('acceptInvitation', 'The recipient accepts an invitation; the inviting partner is called back')
  acceptInvitation(
    @PartnerParams() dto: AcceptInvitationDto,
    @Caller() caller: PartnerCaller,
  ): Promise<{ invitationID: string }> {
    if (caller.accountId === undefined) {
      throw new PartnerError('ME01022');
    }
    return this.invites.accept(caller.appKey, caller.accountId, dto);
  }
}
