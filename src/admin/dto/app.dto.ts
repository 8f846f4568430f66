import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_GRACE_SECONDS } from '../../access/partner-app.service';
import { APP_KEY_PATTERN } from '../../common/validation/partner-param.rules';


export class CreateAppDto {
  @ApiProperty({ example: 'car-app' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiPropertyOptional({ description: 'Require timestamp + nonce on every request (replay protection, API.md 3.3).' })
  @IsOptional()
  @IsBoolean()
  requireTimestamp?: boolean;

  @ApiPropertyOptional({
    example: '123456789',
    description: 'An existing app brought over unchanged (API.md 15): its appKey, 1-10 digits. Generated when absent.',
  })
  @IsOptional()
  @Matches(APP_KEY_PATTERN, { message: 'must be 1-10 digits' })
  appKey?: string;

  @ApiPropertyOptional({ description: "The existing app's secret (40 hex), kept exactly as given. Needs appKey." })
  @IsOptional()
  @Matches(/^[0-9A-Fa-f]{40}$/, { message: 'must be 40 hex characters' })
  secret?: string;
}

export class AppKeyParamDto {
  @ApiProperty({ example: '4821736450' })
  @Matches(APP_KEY_PATTERN, { message: 'must be 1-10 digits' })
  appKey: string;
}

export class UpdateAppDto {
  @ApiPropertyOptional({
    description: 'false: every request of the app answers ME01002, on every instance within 1 s.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  requireTimestamp?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    description: 'How long the previous secret still signs, in seconds (0-604800, default 0: it stops at once).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  graceSeconds?: number;
}
