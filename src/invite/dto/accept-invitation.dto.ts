import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, ValidateIf } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { TEMP_CHANNEL_ID_PATTERN } from './invite-user-join.dto';

/**
 * acceptInvitation (API.md 5.6): the recipient names the invitation by `invitationID`, or by
 * `tempChannelID` (then its newest invitation to that temp channel). With neither, invitationID is
 * the missing parameter.
 */
export class AcceptInvitationDto {
  @ApiProperty({ example: '3333333333', description: 'The recipient (its accessToken is checked).' })
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @ApiPropertyOptional({ example: '42' })
  @ValidateIf((dto: AcceptInvitationDto) => dto.invitationID !== undefined || dto.tempChannelID === undefined)
  @Matches(/^[1-9]\d{0,19}$/)
  invitationID?: string;

  @ApiPropertyOptional({ example: '12349' })
  @IsOptional()
  @Matches(TEMP_CHANNEL_ID_PATTERN)
  tempChannelID?: string;
}
