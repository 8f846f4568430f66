import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { MetricsService } from '../../metrics/metrics.service';
import { PartnerRequest } from '../partner/partner-request';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (X-Request-Id, kept when sane), logs it once when done and counts it. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly metrics: MetricsService) {}

  use(req: PartnerRequest, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const errorCode = (res.locals.errorCode as string | undefined) ?? '';
      this.metrics.observe(req.method, route, res.statusCode, errorCode, seconds);
      this.logger.log({
        msg: 'request',
        requestId: req.requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        errorCode: errorCode || undefined,
        appKey: req.partner?.appKey,
        ms: Math.round(seconds * 1000),
      });
    });
    next();
  }
}
