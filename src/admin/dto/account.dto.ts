import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../access/account.service';
import { ACCOUNT_ROLES, AccountRole } from '../../access/entities/account.entity';

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

export class UpdateAccountDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nickname?: string;

  @ApiPropertyOptional({
    enum: ACCOUNT_ROLES,
    isArray: true,
    description: 'The new set of roles; a removed role answers ME18306 on every instance within 1 s.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ACCOUNT_ROLES, { each: true })
  roles?: AccountRole[];
}
