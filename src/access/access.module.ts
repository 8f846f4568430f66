import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher, secretCipherFrom } from '../common/crypto/secret-cipher';
import { AppConfig } from '../config/configuration';
import { AccessTokenService } from './access-token.service';
import { AccountService } from './account.service';
import { AccessToken } from './entities/access-token.entity';
import { Account } from './entities/account.entity';
import { PartnerApp } from './entities/partner-app.entity';
import { PartnerAppService } from './partner-app.service';

/** Who may call: partner apps (secrets encrypted at rest), accounts with their roles, access tokens. Used by the global guards. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PartnerApp, Account, AccessToken])],
  providers: [
    { provide: SecretCipher, useFactory: (config: AppConfig) => secretCipherFrom(config.secrets), inject: [AppConfig] },
    PartnerAppService,
    AccessTokenService,
    AccountService,
  ],
  exports: [SecretCipher, PartnerAppService, AccessTokenService, AccountService],
})
export class AccessModule {}
