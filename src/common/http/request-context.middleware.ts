import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { MetricsService } from '../../metrics/metrics.service';
import { PartnerRequest } from '../partner/partner-request';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Probes and scrapes: counted in the metrics like every request, logged at debug level only. */
const OPS_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);
const logger = new Logger('HTTP');
/** The status counted and logged for a request whose client went before its answer (nginx's "client closed request"). */
export const CLIENT_GONE_STATUS = 499;

/**
 * Gives a request its id (X-Request-Id, kept when sane), and when it is done counts it in the metrics and
 * logs it once. Every HTTP request goes through here: RequestContextMiddleware for Nest's routes, and the
 * liveness probe that answers before Nest's pipeline (src/health/live-probe.ts).
 */
export function trackRequest(req: PartnerRequest, res: Response, metrics: MetricsService): void {
  const started = process.hrtime.bigint();
  const incoming = req.headers['x-request-id'];
  req.requestId = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  // 'close', not 'finish': it also comes when the client went before its answer was written.
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
    const errorCode = (res.locals.errorCode as string | undefined) ?? '';
    const status = res.writableFinished ? res.statusCode : CLIENT_GONE_STATUS;
    metrics.observe(req.method, route, status, errorCode, seconds);
    const ops = OPS_PATHS.has(req.path) && status < 400;
    logger[ops ? 'debug' : 'log']({
      msg: 'request',
      requestId: req.requestId,
      method: req.method,
      path: req.path,
      status,
      errorCode: errorCode || undefined,
      appKey: req.partner?.appKey,
      ms: Math.round(seconds * 1000),
    });
  });
}

/** trackRequest for every request Nest routes. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: PartnerRequest, res: Response, next: NextFunction): void {
    trackRequest(req, res, this.metrics);
    next();
  }
}
