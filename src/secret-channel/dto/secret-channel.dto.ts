import { IsIn, Matches, ValidateIf } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import {
  CATALOG_ID_PATTERN,
  CITY_CODE_PATTERN,
  IsCityCode,
  IsImageUrl,
  IsIntBetween,
  IsKeywordList,
  IsOneOfBy,
  IsText,
  OptionalParam,
} from '../../common/validation/partner-param.rules';

/**
 * A group channel number as partners send it: new numbers are 9 digits zero-padded (10 past 999,999,999,
 * API.md 5.1), channels imported from the original system keep their 5-8 digit legacy numbers (API.md 15).
 */
export const CHANNEL_NUMBER = /^\d{5,10}$/;
/** The invitation code: `channelNumber|` + 32 lowercase hex characters. */
const UNIQUE_CODE = /^\d{5,10}\|[0-9a-f]{32}$/;

/*
 * Parameters of the secret-channel routes. The property order of each class is the order in which
 * the parameters are checked (the first failure is the answer, API.md 2). Optional parameters sent
 * empty count as absent.
 */

/** applySecretChannel (API.md 5.1). */
export class ApplySecretChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @IsText(2, 16)
  channelName: string;

  @IsText(2, 128)
  channelIntroduction: string;

  /** `0` nationwide or a 6-digit code of a real division. */
  @IsCityCode()
  channelCityCode: string;

  @Matches(CATALOG_ID_PATTERN)
  channelCatalogID: string;

  @OptionalParam()
  @IsImageUrl()
  channelCatalogUrl?: string;

  @IsIn(['0', '1'])
  openType: string;

  @OptionalParam()
  @IsIn(['0', '1'])
  isVerify?: string;

  @OptionalParam()
  @IsKeywordList()
  channelKeyWords?: string;
}

const CHANNEL_STATUSES = ['1', '2'] as const;
/** A timed mute lasts one minute to thirty days (API.md 11). */
export const MUTE_SECONDS_MIN = 60;
export const MUTE_SECONDS_MAX = 2_592_000;
const MEMBER_STATUSES = ['1', '2', '3'] as const;

/**
 * manageSecretChannelUsers (API.md 5.2). With `adminAccountID` present, it is the acting account and
 * `accountID` is the target (the seed page's example); otherwise `accountID` acts on `userAccountID`.
 */
export class ManageSecretChannelUsersDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @OptionalParam()
  @Matches(ACCOUNT_ID_PATTERN)
  adminAccountID?: string;

  @Matches(CHANNEL_NUMBER)
  channelNumber: string;

  @IsIn(['1', '2'])
  infoType: string;

  /** infoType 1: 1 normal (reopen), 2 closed. infoType 2: 1 normal, 2 muted, 3 blacklisted. */
  @IsOneOfBy((o) => (o.infoType === '1' ? CHANNEL_STATUSES : MEMBER_STATUSES))
  curStatus: string;

  @ValidateIf((o: ManageSecretChannelUsersDto) => o.infoType === '2' && o.adminAccountID === undefined)
  @Matches(ACCOUNT_ID_PATTERN)
  userAccountID?: string;

  /** infoType 2, curStatus 2 only: a timed mute of this many seconds (API.md 11); absent: until lifted. */
  @OptionalParam()
  @IsIntBetween(MUTE_SECONDS_MIN, MUTE_SECONDS_MAX)
  muteSeconds?: string;
}

/** quitSecretChannel (API.md 5.3), getSecretChannelInfo and dissolveSecretChannel (5.6). */
export class ChannelOfAccountDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(CHANNEL_NUMBER)
  channelNumber: string;
}

/** joinSecretChannel (API.md 5.6). */
export class JoinSecretChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  /** `<channelNumber>|<32 lowercase hex>` as applySecretChannel returned it. */
  @Matches(UNIQUE_CODE)
  uniqueCode: string;

  @OptionalParam()
  @IsText(1, 128)
  remark?: string;
}

/** fetchSecretChannel (API.md 5.6): 1 public open channels, 2 channels I own, 3 channels I joined. */
export class FetchSecretChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @IsIn(['1', '2', '3'])
  infoType: string;

  @OptionalParam()
  @Matches(CITY_CODE_PATTERN)
  cityCode?: string;

  @OptionalParam()
  @Matches(CATALOG_ID_PATTERN)
  catalogID?: string;

  /** Channels whose name contains this text (case-insensitive). */
  @OptionalParam()
  @IsText(1, 16)
  channelName?: string;

  /** Channels one of whose keywords contains this text (case-insensitive). */
  @OptionalParam()
  @IsText(1, 8)
  channelKeyWords?: string;

  @OptionalParam()
  @IsIntBetween(1, 100000)
  startPage?: string;

  @OptionalParam()
  @IsIntBetween(1, 499)
  pageCount?: string;
}

/** setUserkeyInfo (API.md 5.6): `channelNumber` must be sent; empty unbinds the key. */
export class SetUserkeyInfoDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  /** 4 the "+" key, 5 the "++" key. */
  @IsIn(['4', '5'])
  actionType: string;

  @ValidateIf((o: SetUserkeyInfoDto) => o.channelNumber !== '')
  @Matches(CHANNEL_NUMBER)
  channelNumber: string;
}

/** transferSecretChannel (API.md 5.6). */
export class TransferSecretChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(ACCOUNT_ID_PATTERN)
  receiverAccountID: string;

  @Matches(CHANNEL_NUMBER)
  channelNumber: string;
}
