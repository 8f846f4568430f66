/**
 * The framework's ceiling: a NestJS 11 app on Express with one GET route and no global pipeline
 * (no guards, pipes, interceptors, middleware or body parser). Port from argv[2].
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller()
class PingController {
  @Get('ping')
  ping(): { ERRORCODE: string; RESULT: string } {
    return { ERRORCODE: '0', RESULT: 'ok' };
  }
}

@Module({ controllers: [PingController] })
class BareModule {}

void NestFactory.create(BareModule, { logger: false, bodyParser: false }).then((app) =>
  app.listen(Number(process.argv[2]), '127.0.0.1'),
);
