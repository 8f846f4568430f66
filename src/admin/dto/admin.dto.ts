import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { ACCOUNT_ROLES, AccountRole } from '../../access/entities/account.entity';
import { CatalogType } from '../../catalog/entities/catalog.entity';
import { PagingQueryDto } from '../../common/dto/paging-query.dto';

export class CreateAppDto {
  @ApiProperty({ example: 'car-app' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiPropertyOptional({ description: 'Require timestamp + nonce on every request (replay protection, API.md 3.3).' })
  @IsOptional()
  @IsBoolean()
  requireTimestamp?: boolean;
}

export class CreateAccountDto {
  @ApiPropertyOptional({ example: 'aaaaaaaaaa', description: 'Generated when absent.' })
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nickname?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ACCOUNT_ROLES, { each: true })
  roles?: AccountRole[];
}

export class CreateTokenDto {
  @ApiProperty({ example: '1111111111' })
  @Matches(/^\d{1,10}$/, { message: 'must be 1-10 digits' })
  appKey: string;

  @ApiProperty({ example: 'aaaaaaaaaa' })
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID: string;

  @ApiPropertyOptional({ description: 'Lifetime in seconds (default 30 days, at most 1 year).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366 * 24 * 3600)
  ttlSeconds?: number;
}

export class CreateCatalogDto {
  @ApiProperty({ example: '200001' })
  @Matches(/^\d{6,11}$/, { message: 'must be 6-11 digits' })
  catalogID: string;

  @ApiProperty({ example: '交通' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({ enum: [0, 1, 2], description: '0 both kinds, 1 micro channels only, 2 group channels only' })
  @IsIn([CatalogType.Both, CatalogType.Micro, CatalogType.Group])
  catalogType: CatalogType;
}

export class AuditQueryDto extends PagingQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 10 letters or digits' })
  accountID?: string;
}
