import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { emptyToUndefined, IsText } from '../../common/validation/partner-param.rules';
import { TEMP_CHANNEL_ID_PATTERN } from '../../invite/dto/invite-user-join.dto';
import { ListMicroChannelEditsQueryDto } from '../../micro-channel-review/dto/micro-channel-edit.admin.dto';
import {
  APPLY_IDX_PATTERN,
  MICRO_CHANNEL_NUMBER_PATTERN,
} from '../../micro-channel-review/dto/micro-channel.validators';
import { CHANNEL_NUMBER } from '../../secret-channel/dto/secret-channel.dto';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../console-password.service';

/** PUT /admin/accounts/:accountID/console-password */
export class SetConsolePasswordDto {
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `must be at most ${MAX_PASSWORD_LENGTH} characters` })
  password: string;
}

export class AccountIdParamDto {
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID: string;
}

/** Every form that changes something carries the session's CSRF token. */
export class CsrfFormDto {
  @IsString()
  csrf: string;
}

/** The sign-in form; a malformed account ID is answered like a wrong password, not as a bad request. */
export class SignInFormDto {
  @IsString()
  @MaxLength(64)
  accountID: string;

  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;

  @IsString()
  csrf: string;

  @IsOptional()
  @IsString()
  next?: string;
}

export class DecisionFormDto extends CsrfFormDto {
  @IsIn(['1', '2'], { message: 'must be 1 (reject) or 2 (approve)' })
  checkStatus: '1' | '2';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsText(0, 64)
  checkRemark?: string;
}

export class ChannelStatusFormDto extends CsrfFormDto {
  @IsIn(['close', 'reopen'])
  action: 'close' | 'reopen';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsText(0, 64)
  checkRemark?: string;
}

export class ApplyIdxParamDto {
  @Matches(APPLY_IDX_PATTERN, { message: 'must be a positive integer' })
  applyIdx: string;
}

export class MicroChannelNumberParamDto {
  @Matches(MICRO_CHANNEL_NUMBER_PATTERN, { message: 'must be 6-15 letters or digits, the first a letter' })
  channelNumber: string;
}

export class SecretChannelNumberParamDto {
  @Matches(CHANNEL_NUMBER, { message: 'must be 5-10 digits' })
  channelNumber: string;
}

/** The review queue: the filters and paging of recheckMicroChannel infoType 1, and which queue. */
export class ReviewQueueQueryDto extends ListMicroChannelEditsQueryDto {
  @IsOptional()
  @IsIn(['edits', 'applications'])
  kind?: 'edits' | 'applications';

  @IsOptional()
  @IsIn(['approved', 'rejected', 'closed', 'reopened'])
  done?: string;
}

export class MicroChannelLookupQueryDto {
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(MICRO_CHANNEL_NUMBER_PATTERN, { message: 'must be 6-15 letters or digits, the first a letter' })
  number?: string;
}

export class DoneQueryDto {
  @IsOptional()
  @IsIn(['approved', 'rejected', 'closed', 'reopened'])
  done?: string;
}

class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(999_999)
  startPage?: number;
}

export class ChannelSearchQueryDto extends PageQueryDto {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsText(1, 32)
  q?: string;
}

export class ChannelPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['closed', 'reopened'])
  done?: string;
}

export class ConsoleInvitationQueryDto extends PageQueryDto {
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(TEMP_CHANNEL_ID_PATTERN, { message: 'must be 5-8 digits' })
  tempChannelID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  senderAccountID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  receiverAccountID?: string;
}

export class LanguageQueryDto {
  @IsIn(['zh', 'en'])
  to: 'zh' | 'en';

  @IsOptional()
  @IsString()
  next?: string;
}
