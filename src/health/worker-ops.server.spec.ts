import { TEST_ADMIN_TOKEN, testConfig } from '../../test/utils/test-config';
import { MetricsService } from '../metrics/metrics.service';
import { HealthService } from './health.service';
import { WorkerOpsServer } from './worker-ops.server';

describe(WorkerOpsServer.name, () => {
  const health = { readiness: jest.fn() } as unknown as HealthService & { readiness: jest.Mock };
  let server: WorkerOpsServer;

  async function start(overrides: Record<string, string>): Promise<string> {
    server = new WorkerOpsServer(testConfig({ PORT: '0', ...overrides }), health, new MetricsService());
    await server.onApplicationBootstrap();
    return `http://127.0.0.1:${server.port}`;
  }

  afterEach(async () => {
    await server.onApplicationShutdown();
  });

  it('should serve live, ready and metrics on a worker and nothing else', async () => {
    health.readiness.mockResolvedValue({ status: 'ok', checks: {} });
    const base = await start({ APP_ROLE: 'worker' });
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('queue_jobs_processed_total');
    expect((await fetch(`${base}/clientcustom/v2/fetchSecretChannel`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/docs`)).status).toBe(404);
  });

  it('should answer 503 when a dependency is down', async () => {
    health.readiness.mockResolvedValue({ status: 'error', checks: { mysql: { status: 'down' } } });
    const base = await start({ APP_ROLE: 'worker' });
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
  });

  it('should ask for the admin token on ready and metrics when OPS_REQUIRE_ADMIN_TOKEN is set', async () => {
    health.readiness.mockResolvedValue({ status: 'ok', checks: {} });
    const base = await start({ APP_ROLE: 'worker', OPS_REQUIRE_ADMIN_TOKEN: 'true' });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const auth = { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };
    expect((await fetch(`${base}/health/ready`, auth)).status).toBe(200);
    expect((await fetch(`${base}/metrics`, auth)).status).toBe(200);
  });

  it('should not listen in a process that serves HTTP itself', async () => {
    await start({ APP_ROLE: 'api' });
    expect(server.port).toBeUndefined();
  });
});
