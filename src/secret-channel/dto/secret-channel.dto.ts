import { ValidateIf } from 'class-validator';
import {
  ACCOUNT_ID,
  CATALOG_ID,
  CHANNEL_NUMBER,
  IsCityCode,
  IsCityCodeFormat,
  IsImageUrl,
  IsIntBetween,
  IsKeywordList,
  IsOneOf,
  IsOneOfBy,
  IsPattern,
  IsText,
  OptionalParam,
  UNIQUE_CODE,
} from './param-rules';

/*
 * Parameters of the secret-channel routes. The property order of each class is the order in which
 * the parameters are checked (the first failure is the answer, API.md 2). Optional parameters sent
 * empty count as absent.
 */

/** applySecretChannel (API.md 5.1). */
export class ApplySecretChannelDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  @IsText(2, 16)
  channelName: string;

  @IsText(2, 128)
  channelIntroduction: string;

  /** `0` nationwide or a 6-digit code of a real division. */
  @IsCityCode()
  channelCityCode: string;

  @IsPattern(CATALOG_ID)
  channelCatalogID: string;

  @OptionalParam()
  @IsImageUrl()
  channelCatalogUrl?: string;

  @IsOneOf(['0', '1'])
  openType: string;

  @OptionalParam()
  @IsOneOf(['0', '1'])
  isVerify?: string;

  @OptionalParam()
  @IsKeywordList()
  channelKeyWords?: string;
}

const CHANNEL_STATUSES = ['1', '2'] as const;
const MEMBER_STATUSES = ['1', '2', '3'] as const;

/**
 * manageSecretChannelUsers (API.md 5.2). With `adminAccountID` present, it is the acting account and
 * `accountID` is the target (the seed page's example); otherwise `accountID` acts on `userAccountID`.
 */
export class ManageSecretChannelUsersDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  @OptionalParam()
  @IsPattern(ACCOUNT_ID)
  adminAccountID?: string;

  @IsPattern(CHANNEL_NUMBER)
  channelNumber: string;

  @IsOneOf(['1', '2'])
  infoType: string;

  /** infoType 1: 1 normal (reopen), 2 closed. infoType 2: 1 normal, 2 muted, 3 blacklisted. */
  @IsOneOfBy((o) => (o.infoType === '1' ? CHANNEL_STATUSES : MEMBER_STATUSES))
  curStatus: string;

  @ValidateIf((o: ManageSecretChannelUsersDto) => o.infoType === '2' && o.adminAccountID === undefined)
  @IsPattern(ACCOUNT_ID)
  userAccountID?: string;
}

/** quitSecretChannel (API.md 5.3), getSecretChannelInfo and dissolveSecretChannel (5.6). */
export class ChannelOfAccountDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  @IsPattern(CHANNEL_NUMBER)
  channelNumber: string;
}

/** joinSecretChannel (API.md 5.6). */
export class JoinSecretChannelDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  /** `<channelNumber>|<32 lowercase hex>` as applySecretChannel returned it. */
  @IsPattern(UNIQUE_CODE)
  uniqueCode: string;

  @OptionalParam()
  @IsText(1, 128)
  remark?: string;
}

/** fetchSecretChannel (API.md 5.6): 1 public open channels, 2 channels I own, 3 channels I joined. */
export class FetchSecretChannelDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  @IsOneOf(['1', '2', '3'])
  infoType: string;

  @OptionalParam()
  @IsCityCodeFormat()
  cityCode?: string;

  @OptionalParam()
  @IsPattern(CATALOG_ID)
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
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  /** 4 the "+" key, 5 the "++" key. */
  @IsOneOf(['4', '5'])
  actionType: string;

  @ValidateIf((o: SetUserkeyInfoDto) => o.channelNumber !== '')
  @IsPattern(CHANNEL_NUMBER)
  channelNumber: string;
}

/** transferSecretChannel (API.md 5.6). */
export class TransferSecretChannelDto {
  @IsPattern(ACCOUNT_ID)
  accountID: string;

  @IsPattern(ACCOUNT_ID)
  receiverAccountID: string;

  @IsPattern(CHANNEL_NUMBER)
  channelNumber: string;
}
