import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { IsHttpUrl } from '../../common/outbound/http-url.validator';

export const TEMP_CHANNEL_ID_PATTERN = /^\d{5,8}$/;
export const MULTIMEDIA_URL_MAX_LENGTH = 1024;
export const CALLBACK_URL_MAX_LENGTH = 512;

/**
 * inviteUserJoin (API.md 5.5). Fields are checked in this order; the first failure is
 * `ME01023 <field> is error!`. Values are kept exactly as sent: tempChannelID keeps its leading zeros
 * and callbackURL its query string (it is signed in that raw form).
 */
export class InviteUserJoinDto {
  @ApiProperty({ example: '2222222222', description: 'The inviting account (10 letters or digits).' })
  @Matches(ACCOUNT_ID_PATTERN)
  accountID: string;

  @ApiProperty({ example: '0123520', description: 'The live temp channel: 5-8 digits, leading zeros kept.' })
  @Matches(TEMP_CHANNEL_ID_PATTERN)
  tempChannelID: string;

  @ApiProperty({
    example: 'http://media.example.com/voice/a.amr',
    description: 'http(s) URL of an AMR-NB voice message, at most 2 MiB, answering within 3 s.',
  })
  @IsHttpUrl(MULTIMEDIA_URL_MAX_LENGTH)
  multimediaURL: string;

  @ApiProperty({
    example:
      'http://partner.example.com/inviteToTempChannelCallback?inviteAccountID=anjiklmkin&inviteTempChannelID=12349',
    description:
      'http(s) URL (at most 512 characters) the signed acceptance callback is POSTed to; its query string is kept.',
  })
  @IsHttpUrl(CALLBACK_URL_MAX_LENGTH)
  callbackURL: string;
}
