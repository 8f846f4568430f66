import { IsIn, Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { IsIntBetween, OptionalParam } from '../../common/validation/partner-param.rules';
import { CHANNEL_NUMBER } from './secret-channel.dto';

/** setSecretChannelAdmin (API.md 11): the owner gives (1) or takes back (0) the admin role. */
export class SetSecretChannelAdminDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(CHANNEL_NUMBER)
  channelNumber: string;

  @Matches(ACCOUNT_ID_PATTERN)
  userAccountID: string;

  @IsIn(['0', '1'])
  isAdmin: string;
}

/** fetchSecretChannelMembers (API.md 11). */
export class FetchSecretChannelMembersDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(CHANNEL_NUMBER)
  channelNumber: string;

  @OptionalParam()
  @IsIn(['1', '2', '3', '4'])
  memberStatus?: string;

  @OptionalParam()
  @IsIntBetween(1, 100000)
  startPage?: string;

  @OptionalParam()
  @IsIntBetween(1, 100)
  pageCount?: string;
}

/** One member as fetchSecretChannelMembers lists it (strings throughout, as the seed pages do). */
export interface SecretChannelMemberResponseDto {
  accountID: string;
  nickname: string;
  role: string;
  /** "1"-"4"; a timed mute that ran out reads "1". */
  memberStatus: string;
  /** Unix seconds. */
  joinTime: string;
  /** Unix seconds of a running timed mute's end; "" otherwise. */
  muteUntil: string;
}

export interface FetchSecretChannelMembersResponseDto {
  count: string;
  list: SecretChannelMemberResponseDto[];
}
