import { Module } from '@nestjs/common';
import { AccountsAdminController } from './accounts.admin.controller';
import { AppsAdminController } from './apps.admin.controller';
import { ProvisioningController } from './provisioning.controller';
import { TokensAdminController } from './tokens.admin.controller';

@Module({ controllers: [AppsAdminController, TokensAdminController, AccountsAdminController, ProvisioningController] })
export class AdminModule {}
