import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { CatalogType } from '../../catalog/entities/catalog.entity';
import { PagingQueryDto } from '../../common/dto/paging-query.dto';

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
