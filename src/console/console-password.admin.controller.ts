import { Body, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { ConsolePasswordService } from './console-password.service';
import { CONSOLE_ROLES, ConsoleSessionService } from './console-session.service';
import { AccountIdParamDto, SetConsolePasswordDto } from './dto/console.dto';

/** PUT /admin/accounts/:accountID/console-password (API.md 14). Its own controller beside the account routes. */
@AdminController('accounts')
export class ConsolePasswordAdminController {
  constructor(
    private readonly accounts: AccountService,
    private readonly passwords: ConsolePasswordService,
    private readonly sessions: ConsoleSessionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Put(':accountID/console-password')
  @ApiOperation({
    summary:
      'Set the console password of an account (12+ characters, stored as a scrypt hash). Ends the ' +
      "account's console sessions and lifts a sign-in lock-out. Only reviewer and operator accounts can sign in.",
  })
  async set(
    @Param() params: AccountIdParamDto,
    @Body() dto: SetConsolePasswordDto,
  ): Promise<{ accountID: string; canSignIn: boolean; updatedAt: number }> {
    const account = await this.accounts.find(params.accountID);
    if (!account) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'account not found',
        errors: { accountID: 'not found' },
      });
    }
    const credential = await this.passwords.set(account.accountId, dto.password);
    await this.sessions.revokeAll(account.accountId);
    await this.audit.record(this.dataSource.manager, {
      actorAccountId: null,
      appKey: null,
      action: 'console.password.set',
      entityType: 'account',
      entityId: account.accountId,
    });
    return {
      accountID: account.accountId,
      canSignIn: account.roles.some((role) => CONSOLE_ROLES.includes(role)),
      updatedAt: Math.floor(credential.updatedAt.getTime() / 1000),
    };
  }
}
