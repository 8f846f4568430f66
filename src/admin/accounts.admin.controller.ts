import { Body, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AccountService, AccountView } from '../access/account.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { AccountParamDto } from '../invite/dto/presence.dto';
import { conflict, notFound } from './admin-errors';
import { CreateAccountDto, UpdateAccountDto } from './dto/account.dto';

/** Accounts and their company roles (API.md 6, 7, 10). */
@AdminController('accounts')
export class AccountsAdminController {
  constructor(private readonly accounts: AccountService) {}

  @Post()
  @ApiOperation({ summary: 'Create an account (accountID generated when absent) with company roles.' })
  async create(@Body() dto: CreateAccountDto): Promise<{ accountID: string; nickname: string; roles: string[] }> {
    const account = await this.accounts.create({ accountId: dto.accountID, nickname: dto.nickname, roles: dto.roles });
    if (!account) {
      throw conflict('accountID');
    }
    return { accountID: account.accountId, nickname: account.nickname, roles: account.roles };
  }

  @Get(':accountID')
  @ApiOperation({ summary: 'One account with its roles.' })
  async get(@Param() params: AccountParamDto): Promise<AccountView> {
    const account = await this.accounts.find(params.accountID);
    if (!account) {
      throw notFound('accountID');
    }
    return AccountService.view(account);
  }

  @Patch(':accountID')
  @ApiOperation({ summary: 'Change nickname and/or roles; a removed role answers ME18306 everywhere within 1 s.' })
  async update(@Param() params: AccountParamDto, @Body() dto: UpdateAccountDto): Promise<AccountView> {
    const account = await this.accounts.update(params.accountID, dto);
    if (!account) {
      throw notFound('accountID');
    }
    return AccountService.view(account);
  }
}
