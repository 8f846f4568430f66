import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { opsAllowed } from '../common/guards/admin.guard';
import { AppConfig } from '../config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { HealthService } from './health.service';

/**
 * The whole HTTP surface of an APP_ROLE=worker process (API.md 13): `/health/live`, `/health/ready`
 * (MySQL, Redis and the queues it runs) and `/metrics` on PORT, so an orchestrator can probe it. A plain
 * Node server rather than the Nest HTTP app, so no partner or admin route can ever be reached on a worker.
 * The same OPS_REQUIRE_ADMIN_TOKEN rule as the api's OpsGuard applies to ready and metrics.
 */
@Injectable()
export class WorkerOpsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerOpsServer.name);
  private server?: http.Server;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  /** The port actually bound (PORT=0 picks a free one); undefined when not listening. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.servesHttp) {
      return;
    }
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, () => resolve());
    });
    this.logger.log({ msg: 'worker ops endpoints listening', port: this.port });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return this.send(res, 404, { statusCode: 404, message: 'Not Found' });
      }
      if (path === '/health/live') {
        return this.send(res, 200, { status: 'ok' });
      }
      if (path !== '/health/ready' && path !== '/metrics') {
        return this.send(res, 404, { statusCode: 404, message: 'Not Found' });
      }
      if (!opsAllowed(this.config, req)) {
        return this.send(res, 401, { statusCode: 401, message: 'admin token required' });
      }
      if (path === '/health/ready') {
        const result = await this.health.readiness();
        return this.send(res, result.status === 'ok' ? 200 : 503, result);
      }
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
      res.end(await this.metrics.registry.metrics());
    } catch (err) {
      this.logger.error({ msg: 'worker ops request failed', path, err: (err as Error).message });
      if (!res.headersSent) {
        this.send(res, 500, { statusCode: 500, message: 'Internal server error' });
      }
    }
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
