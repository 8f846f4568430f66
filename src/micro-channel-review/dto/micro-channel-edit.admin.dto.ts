import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import {
  CATALOG_ID_PATTERN,
  CITY_CODE_PATTERN,
  emptyToUndefined,
  IsText,
} from '../../common/validation/partner-param.rules';
import { APPLY_IDX_PATTERN } from './micro-channel.validators';

/** GET /admin/micro-channel-edits: the filters and paging of recheckMicroChannel infoType 1. */
export class ListMicroChannelEditsQueryDto {
  @ApiPropertyOptional({
    example: '110000',
    description: 'City of the proposed content: 0 or a 6-digit GB/T 2260 code.',
  })
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(CITY_CODE_PATTERN, { message: 'must be 0 or 6 digits' })
  cityCode?: string;

  @ApiPropertyOptional({ example: '100101', description: 'Catalog of the proposed content.' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, { message: 'must be 6-11 digits' })
  catalogID?: string;

  @ApiPropertyOptional({ description: 'The proposed name contains this text.' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsText(1, 16)
  channelName?: string;

  @ApiPropertyOptional({ description: 'The channel number contains this text, in any case.' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsText(1, 15)
  channelNumber?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  startPage?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 499 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(499)
  pageCount?: number;
}

export class MicroChannelEditParamsDto {
  @ApiProperty({ example: '1' })
  @Matches(APPLY_IDX_PATTERN, { message: 'must be a positive integer' })
  applyIdx: string;
}

/** POST /admin/micro-channel-edits/:applyIdx/decision */
export class DecideMicroChannelEditDto {
  @ApiProperty({ enum: [1, 2], description: '1 reject the edit, 2 approve it (the spoken name is synthesised first).' })
  @IsIn([1, 2], { message: 'must be 1 (reject) or 2 (approve)' })
  checkStatus: 1 | 2;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsText(0, 64)
  checkRemark?: string;

  @ApiProperty({ example: 'reviewer01', description: 'The deciding account; must have the reviewer role.' })
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  reviewerAccountID: string;
}
