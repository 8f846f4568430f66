import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { PagingQueryDto } from '../../common/dto/paging-query.dto';
import { TEMP_CHANNEL_ID_PATTERN } from './invite-user-join.dto';

export class InvitationIdParamDto {
  @Matches(/^[1-9]\d{0,19}$/, { message: 'must be a positive integer' })
  id: string;
}

/** Filters of GET /admin/invitations; newest first. */
export class InvitationQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ example: '12349' })
  @IsOptional()
  @Matches(TEMP_CHANNEL_ID_PATTERN, { message: 'must be 5-8 digits' })
  tempChannelID?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  senderAccountID?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  receiverAccountID?: string;
}
