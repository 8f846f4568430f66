import { PartnerController, PartnerRoute } from '../common/decorators/controllers.decorator';
import { ActingAccount, Caller, PartnerCaller, PartnerParams } from '../common/decorators/partner.decorators';
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
import { SecretChannelMembershipService } from './secret-channel-membership.service';
import { SecretChannelService } from './secret-channel.service';

/** Group ("secret") channels: the partner routes of API.md 5.1-5.3 and their companions (5.6). */
@PartnerController('secret-channel')
export class SecretChannelController {
  constructor(
    private readonly channels: SecretChannelService,
    private readonly memberships: SecretChannelMembershipService,
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
    if (dto.infoType === '1') {
      await this.channels.setChannelStatus(acting, dto.channelNumber, Number(dto.curStatus), caller);
    } else {
      const target = dto.adminAccountID !== undefined ? dto.accountID : (dto.userAccountID as string);
      await this.memberships.setMemberStatus(acting, target, dto.channelNumber, Number(dto.curStatus), caller);
    }
    return 'ok';
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
    return this.channels.info(dto);
  }

  @PartnerRoute('fetchSecretChannel', 'List group channels: public, owned or joined')
  fetch(@PartnerParams() dto: FetchSecretChannelDto): Promise<FetchSecretChannelResponseDto> {
    return this.channels.fetch(dto);
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
