import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Express, Request, Response } from 'express';
import { trackRequest } from '../common/http/request-context.middleware';
import { MetricsService } from '../metrics/metrics.service';

export const LIVE_PATH = '/health/live';

/**
 * GET /health/live: the process is up, no dependency checked. Orchestrators and load balancers call it
 * every few seconds on every instance, so it is answered by a plain Express route mounted before Nest's
 * router (main.ts and the tests mount it through setupApp, before app.init): no guards, interceptors or
 * middlewares to cross. It is still tracked like every request (X-Request-Id, metrics, a debug log line).
 */
export function mountLiveProbe(app: INestApplication): void {
  const metrics = app.get(MetricsService);
  const express = app.getHttpAdapter().getInstance() as Express;
  express.get(LIVE_PATH, (req: Request, res: Response) => {
    trackRequest(req, res, metrics);
    res.json({ status: 'ok' });
  });
}

/** The probe in the OpenAPI document, since no Nest controller declares it. */
export function documentLiveProbe(document: OpenAPIObject): void {
  document.paths[LIVE_PATH] = {
    get: {
      operationId: 'HealthController_live',
      summary: 'The process is up (no dependency checked).',
      tags: ['ops'],
      responses: {
        '200': {
          description: '{"status":"ok"}',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } },
            },
          },
        },
      },
    },
  };
}
