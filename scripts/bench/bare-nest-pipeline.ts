/**
 * The framework's ceiling for the shape of a partner request: a NestJS 11 app on Express with nothing of the
 * service's logic, but the pipeline a signed partner route needs in any NestJS design. Nest's urlencoded body
 * parser; a global guard checking the sign (API.md 3.1, against one constant app); a second global guard
 * checking the account's token (SHA-256 against the bench's tokens, no store); a global ValidationPipe
 * (class-validator) on a three-field DTO; a global exception filter writing the envelope with HTTP 200.
 * What it lacks next to the service: the request id, metrics and access log, the in-flight bound and
 * deadline, multipart, replay and rate checks, and every store. Port from argv[2].
 */
import 'reflect-metadata';
import {
  ArgumentsHost,
  Body,
  CanActivate,
  Catch,
  Controller,
  ExceptionFilter,
  ExecutionContext,
  HttpCode,
  Injectable,
  Module,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, NestFactory } from '@nestjs/core';
import { Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { computeSign, safeEqual } from '../../src/common/signature/sign';
import { BENCH_APP_KEY, BENCH_APP_SECRET, tokenOf } from './world';

class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const paramsOf = (context: ExecutionContext): Record<string, string> =>
  context.switchToHttp().getRequest<Request>().body as Record<string, string>;

@Injectable()
class SignGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = paramsOf(context);
    if (params.appKey !== BENCH_APP_KEY) {
      throw new Refusal('ME01002');
    }
    if (
      typeof params.sign !== 'string' ||
      !safeEqual(params.sign.toUpperCase(), computeSign(params, BENCH_APP_SECRET))
    ) {
      throw new Refusal('ME01019');
    }
    return true;
  }
}

@Injectable()
class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = paramsOf(context);
    if (typeof params.accountID !== 'string' || params.accessToken !== tokenOf(params.accountID)) {
      throw new Refusal('ME01003');
    }
    return true;
  }
}

class ChannelQuery {
  @Matches(/^[A-Za-z0-9]{10}$/)
  accountID!: string;
  @Matches(/^[A-Za-z0-9]{32}$/)
  accessToken!: string;
  @Matches(/^\d{9,10}$/)
  channelNumber!: string;
}

@Catch()
class EnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const code = exception instanceof Refusal ? exception.code : 'ME01023';
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(200)
      .json({ ERRORCODE: code, RESULT: `${code} refused` });
  }
}

@Controller('clientcustom/v2')
class PartnerController {
  @Post('getSecretChannelInfo')
  @HttpCode(200)
  info(@Body() query: ChannelQuery): { ERRORCODE: string; RESULT: unknown } {
    return { ERRORCODE: '0', RESULT: { channelNumber: query.channelNumber } };
  }
}

@Module({
  controllers: [PartnerController],
  providers: [
    { provide: APP_GUARD, useClass: SignGuard },
    { provide: APP_GUARD, useClass: TokenGuard },
    { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, transform: true, stopAtFirstError: true }) },
    { provide: APP_FILTER, useClass: EnvelopeFilter },
  ],
})
class BarePipelineModule {}

void NestFactory.create(BarePipelineModule, { logger: false }).then((app) =>
  app.listen(Number(process.argv[2]), '127.0.0.1'),
);
