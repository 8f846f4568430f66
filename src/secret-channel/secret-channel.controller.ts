import { PartnerController, PartnerRoute } from '../common/decorators/controllers.decorator';
import { ActingAccount, Caller, PartnerCaller, PartnerParams } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import {
  FetchSecretChannelMembersDto,
  FetchSecretChannelMembersResponseDto,
  SetSecretChannelAdminDto,
} from './dto/secret-channel-members.dto';
import {
  ApplySecretChannelDto,
  ChannelOfAccountDto,
  FetchSecretChannelDto,
  JoinSecretChannelDto,
  ManageSecretChannelUsersDto,
  SetUserkeyInfoDto,
  TransferSecretChannelDto,
} from './dto/secret-channel.dto';
import {
  ApplySecretChannelResponseDto,
  FetchSecretChannelResponseDto,
  JoinSecretChannelResponseDto,
  SecretChannelResponseDto,
} from './dto/secret-channel.response.dto';
import { SecretChannelMembersService } from './secret-channel-members.service';
import { SecretChannelMembershipService } from './secret-channel-membership.service';
import { SecretChannelReadService } from './secret-channel-reads.service';
import { SecretChannelService } from './secret-channel.service';

/** Group ("secret") channels: the partner routes of API.md 5.1-5.3, their companions (5.6) and members (11). */
@PartnerController('secret-channel')
export class SecretChannelController {
  constructor(
    private readonly channels: SecretChannelService,
    private readonly memberships: SecretChannelMembershipService,
    private readonly members: SecretChannelMembersService,
    private readonly reads: SecretChannelReadService,
  ) {}

  @PartnerRoute('applySecretChannel', 'Create a group channel owned by accountID')
  apply(
    @PartnerParams() dto: ApplySecretChannelDto,
    @Caller() caller: PartnerCaller,
  ): Promise<ApplySecretChannelResponseDto> {
    return this.channels.apply(dto, caller);
  }

  @PartnerRoute(
    'manageSecretChannelUsers',
    'Company: close/reopen a channel (infoType 1); manager: set a member status (infoType 2)',
  )
  @ActingAccount((params) => (params.adminAccountID !== undefined ? 'adminAccountID' : 'accountID'))
  async manage(@PartnerParams() dto: ManageSecretChannelUsersDto, @Caller() caller: PartnerCaller): Promise<string> {
    const acting = dto.adminAccountID ?? dto.accountID;
    if (dto.muteSeconds !== undefined && !(dto.infoType === '2' && dto.curStatus === '2')) {
      // A length only means something for a mute.
      throw PartnerError.badParam('muteSeconds');
    }
    if (dto.infoType === '1') {
      await this.channels.setChannelStatus(acting, dto.channelNumber, Number(dto.curStatus), caller);
    } else {
      const target = dto.adminAccountID !== undefined ? dto.accountID : (dto.userAccountID as string);
      const muteSeconds = dto.muteSeconds === undefined ? undefined : Number(dto.muteSeconds);
      await this.memberships.setMemberStatus(
        acting,
        target,
        dto.channelNumber,
        Number(dto.curStatus),
        caller,
        muteSeconds,
      );
    }
    return 'ok';
  }

  @PartnerRoute('setSecretChannelAdmin', 'Owner: give (isAdmin 1) or take back (0) the admin role of a member')
  async setAdmin(@PartnerParams() dto: SetSecretChannelAdminDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.members.setAdmin(dto, caller);
    return 'ok!';
  }

  @PartnerRoute('fetchSecretChannelMembers', 'Members of a channel: owner, admins, members, by join time')
  fetchMembers(@PartnerParams() dto: FetchSecretChannelMembersDto): Promise<FetchSecretChannelMembersResponseDto> {
    return this.members.list(dto);
  }

  @PartnerRoute('quitSecretChannel', 'Leave a group channel')
  async quit(@PartnerParams() dto: ChannelOfAccountDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.memberships.quit(dto, caller);
    return 'ok';
  }

  @PartnerRoute('joinSecretChannel', 'Join a group channel by its invitation code')
  join(
    @PartnerParams() dto: JoinSecretChannelDto,
    @Caller() caller: PartnerCaller,
  ): Promise<JoinSecretChannelResponseDto> {
    return this.memberships.join(dto, caller);
  }

  @PartnerRoute('getSecretChannelInfo', 'One live group channel as the caller sees it')
  info(@PartnerParams() dto: ChannelOfAccountDto): Promise<SecretChannelResponseDto> {
    return this.reads.info(dto);
  }

  @PartnerRoute('fetchSecretChannel', 'List group channels: public, owned or joined')
  fetch(@PartnerParams() dto: FetchSecretChannelDto): Promise<FetchSecretChannelResponseDto> {
    return this.reads.fetch(dto);
  }

  @PartnerRoute('setUserkeyInfo', 'Bind a device key (4 "+", 5 "++") to a channel, or unbind it')
  async setUserkeyInfo(@PartnerParams() dto: SetUserkeyInfoDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.memberships.setKey(dto, caller);
    return 'ok!';
  }

  @PartnerRoute('transferSecretChannel', 'Hand a channel over to one of its members')
  async transfer(@PartnerParams() dto: TransferSecretChannelDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.channels.transfer(dto, caller);
    return 'ok!';
  }

  @PartnerRoute('dissolveSecretChannel', 'Dissolve a channel: memberships and key bindings end')
  async dissolve(@PartnerParams() dto: ChannelOfAccountDto, @Caller() caller: PartnerCaller): Promise<string> {
    await this.channels.dissolve(dto, caller);
    return 'ok!';
  }
}
