import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TEMP_CHANNEL_ID_PATTERN } from './invite-user-join.dto';

export class InvitationIdParamDto {
  @Matches(/^[1-9]\d{0,19}$/, { message: 'must be a positive integer' })
  id: string;
}

/** Filters of GET /admin/invitations; newest first. */
export class InvitationQueryDto {
  @ApiPropertyOptional({ example: '12349' })
  @IsOptional()
  @Matches(TEMP_CHANNEL_ID_PATTERN, { message: 'must be 5-8 digits' })
  tempChannelID?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{10}$/, { message: 'must be 10 letters or digits' })
  senderAccountID?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{10}$/, { message: 'must be 10 letters or digits' })
  receiverAccountID?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
