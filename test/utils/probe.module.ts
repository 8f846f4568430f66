import { Controller, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Length, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { PartnerRoute } from '../../src/common/decorators/controllers.decorator';
import { ActingAccount, Caller, PartnerCaller, PartnerParams } from '../../src/common/decorators/partner.decorators';
import { RedisService } from '../../src/common/redis/redis.service';

class ProbeDto {
  @Matches(/^[A-Za-z0-9]{10}$/)
  accountID: string;

  @Length(2, 16)
  text: string;
}

class ProbeWriteDto {
  @Matches(/^[A-Za-z0-9]{10}$/)
  accountID: string;

  @Length(1, 16)
  nickname: string;

  /** Milliseconds to wait before the transaction, and after its commit. */
  @Matches(/^\d{1,5}$/)
  waitBefore: string;

  @Matches(/^\d{1,5}$/)
  waitAfter: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * A partner controller that exists only in tests: it proves the pipeline (body parsing, signature,
 * token, validation, envelope, error mapping) independently of the feature modules.
 */
@Controller('clientcustom/v2')
class ProbeController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
  ) {}

  @PartnerRoute('probe', 'test probe')
  probe(@PartnerParams() dto: ProbeDto, @Caller() caller: PartnerCaller): unknown {
    return { text: dto.text, appKey: caller.appKey, accountID: caller.accountId };
  }

  @PartnerRoute('probeNoToken', 'test probe without token')
  @ActingAccount(null)
  probeNoToken(@Caller() caller: PartnerCaller): string {
    return caller.accountId === undefined ? 'ok!' : 'unexpected';
  }

  @PartnerRoute('probeCrash', 'throws')
  probeCrash(): never {
    throw new TypeError('boom');
  }

  @PartnerRoute('probeDb', 'queries MySQL')
  async probeDb(): Promise<string> {
    await this.dataSource.query('SELECT 1');
    return 'ok!';
  }

  @PartnerRoute('probeRedis', 'queries Redis')
  async probeRedis(): Promise<string> {
    await this.redis.run((r) => r.get('probe'));
    return 'ok!';
  }

  @PartnerRoute('probeWait', 'takes one second')
  @ActingAccount(null)
  async probeWait(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return 'ok!';
  }

  @PartnerRoute('probeWrite', 'waits, sets the nickname of the caller in a transaction, waits again')
  async probeWrite(@PartnerParams() dto: ProbeWriteDto): Promise<string> {
    await sleep(Number(dto.waitBefore));
    await this.dataSource.transaction(async (m) => {
      await m.query('UPDATE account SET nickname = ? WHERE account_id = ?', [dto.nickname, dto.accountID]);
    });
    await sleep(Number(dto.waitAfter));
    return 'ok!';
  }

  @PartnerRoute('probeSlow', 'never finishes in time')
  async probeSlow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 8000).unref());
    return 'late';
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
