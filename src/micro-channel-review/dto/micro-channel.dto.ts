import { Transform } from 'class-transformer';
import { IsIn, Matches, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import {
  CATALOG_ID_PATTERN,
  CITY_CODE_PATTERN,
  emptyToUndefined,
  IsCityCode,
  IsImageUrl,
  IsIntBetween,
  IsKeywordList,
  isText,
  IsText,
  OptionalParam,
} from '../../common/validation/partner-param.rules';
import { APPLY_IDX_PATTERN, MICRO_CHANNEL_NUMBER_PATTERN } from './micro-channel.validators';

/*
 * Partner parameters of the micro-channel routes. Properties are validated in declaration order and
 * the first failure answers `ME01023 <property> is error!`, so the order below is the check order.
 */

export class ApplyMicroChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(MICRO_CHANNEL_NUMBER_PATTERN)
  channelNumber: string;

  @IsText(2, 16)
  channelName: string;

  @IsText(2, 128)
  channelIntroduction: string;

  @IsText(5, 128)
  chiefAnnouncerIntr: string;

  @IsCityCode()
  channelCityCode: string;

  @Matches(CATALOG_ID_PATTERN)
  channelCatalogID: string;

  @OptionalParam()
  @IsImageUrl()
  channelCatalogUrl?: string;

  @OptionalParam()
  @IsKeywordList()
  channelKeyWords?: string;
}

export class CheckApplyMicroChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  checkAccountID: string;

  @Matches(APPLY_IDX_PATTERN)
  applyIdx: string;

  /** 1 reject, 2 approve. */
  @IsIn(['1', '2'])
  checkStatus: '1' | '2';

  @OptionalParam()
  @IsText(0, 64)
  checkRemark?: string;
}

/** Every content parameter is optional; at least one must be given (checked by the service). */
export class ModifyMicroChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(MICRO_CHANNEL_NUMBER_PATTERN)
  channelNumber: string;

  @OptionalParam()
  @IsText(2, 16)
  channelName?: string;

  @OptionalParam()
  @IsText(2, 128)
  channelIntroduction?: string;

  @OptionalParam()
  @IsText(5, 128)
  chiefAnnouncerIntr?: string;

  @OptionalParam()
  @IsCityCode()
  channelCityCode?: string;

  @OptionalParam()
  @Matches(CATALOG_ID_PATTERN)
  channelCatalogID?: string;

  @OptionalParam()
  @IsImageUrl()
  channelCatalogUrl?: string;

  @OptionalParam()
  @IsKeywordList()
  channelKeyWords?: string;
}

export class GetMicroChannelInfoDto {
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @Matches(MICRO_CHANNEL_NUMBER_PATTERN)
  channelNumber: string;
}

const isList = (o: RecheckMicroChannelDto): boolean => o.infoType === '1';
const isDecision = (o: RecheckMicroChannelDto): boolean => o.infoType === '2';
const decidesEdit = (o: RecheckMicroChannelDto): boolean =>
  isDecision(o) && (o.checkStatus === '1' || o.checkStatus === '2');

/**
 * recheckMicroChannel (API.md 5.4). infoType 1 lists pending edits, infoType 2 decides; each
 * infoType validates only its own parameters and ignores the other's. For infoType 2 the order is
 * accountID, channelNumber, checkStatus, applyIdx, checkRemark.
 */
export class RecheckMicroChannelDto {
  @Matches(ACCOUNT_ID_PATTERN)
  checkAccountID: string;

  @IsIn(['1', '2'])
  infoType: '1' | '2';

  /** infoType 2: the channel's owner. */
  @ValidateIf(isDecision)
  @Matches(ACCOUNT_ID_PATTERN)
  accountID?: string;

  /** infoType 1 filter: the city of the proposed content. */
  @ValidateIf((o: RecheckMicroChannelDto) => isList(o) && o.cityCode !== undefined)
  @Transform(emptyToUndefined)
  @Matches(CITY_CODE_PATTERN)
  cityCode?: string;

  /** infoType 1 filter: the catalog of the proposed content. */
  @ValidateIf((o: RecheckMicroChannelDto) => isList(o) && o.catalogID !== undefined)
  @Transform(emptyToUndefined)
  @Matches(CATALOG_ID_PATTERN)
  catalogID?: string;

  /** infoType 1 filter: the proposed name contains this text. */
  @ValidateIf((o: RecheckMicroChannelDto) => isList(o) && o.channelName !== undefined)
  @Transform(emptyToUndefined)
  @IsText(1, 16)
  channelName?: string;

  /** infoType 1: filter, the number contains this text (any case); infoType 2: the channel. */
  @ValidateIf((o: RecheckMicroChannelDto) => isDecision(o) || o.channelNumber !== undefined)
  @Transform(emptyToUndefined)
  @ValidateBy({
    name: 'isRecheckChannelNumber',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        isDecision(args?.object as RecheckMicroChannelDto)
          ? typeof value === 'string' && MICRO_CHANNEL_NUMBER_PATTERN.test(value)
          : isText(value, 1, 15),
      defaultMessage: () => 'must be a micro channel number (infoType 2) or 1-15 characters to search for (infoType 1)',
    },
  })
  channelNumber?: string;

  /** infoType 2: 1 reject edit, 2 approve edit, 3 close channel, 4 reopen channel. */
  @ValidateIf(isDecision)
  @IsIn(['1', '2', '3', '4'])
  checkStatus?: '1' | '2' | '3' | '4';

  /** infoType 2, checkStatus 1 and 2: the edit. */
  @ValidateIf(decidesEdit)
  @Matches(APPLY_IDX_PATTERN)
  applyIdx?: string;

  @ValidateIf((o: RecheckMicroChannelDto) => isDecision(o) && o.checkRemark !== undefined)
  @Transform(emptyToUndefined)
  @IsText(0, 64)
  checkRemark?: string;

  @ValidateIf((o: RecheckMicroChannelDto) => isList(o) && o.startPage !== undefined)
  @Transform(emptyToUndefined)
  @IsIntBetween(1, 999_999_999)
  startPage?: string;

  @ValidateIf((o: RecheckMicroChannelDto) => isList(o) && o.pageCount !== undefined)
  @Transform(emptyToUndefined)
  @IsIntBetween(1, 499)
  pageCount?: string;
}
