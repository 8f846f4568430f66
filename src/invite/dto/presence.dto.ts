import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { TEMP_CHANNEL_ID_PATTERN } from './invite-user-join.dto';

export class AccountParamDto {
  @ApiProperty({ example: '2222222222' })
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID: string;
}

export class TempChannelParamDto {
  @ApiProperty({ example: '12349' })
  @Matches(TEMP_CHANNEL_ID_PATTERN, { message: 'must be 5-8 digits' })
  tempChannelID: string;
}

/** What the device gateway reports about one account. */
export class UpdatePresenceDto {
  @ApiProperty({ description: 'Whether the account is online. Going offline also leaves any temp channel.' })
  @IsBoolean()
  online: boolean;

  @ApiPropertyOptional({
    nullable: true,
    example: '12349',
    description: 'The temp channel the account is in; null: none; absent: unchanged.',
  })
  @IsOptional()
  @Matches(TEMP_CHANNEL_ID_PATTERN, { message: 'must be 5-8 digits or null' })
  tempChannelID?: string | null;

  @ApiPropertyOptional({ description: 'Whether the account accepts invitations (default true); absent: unchanged.' })
  @IsOptional()
  @IsBoolean()
  acceptInvites?: boolean;
}

export class UpdateTempChannelDto {
  @ApiProperty({ description: 'Whether the temp channel is live (invitations to it may be sent).' })
  @IsBoolean()
  live: boolean;
}
