import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushTestRedis } from './utils/reset-state';
import { ServiceProcess } from './utils/service-process';
import { Fixtures } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { applyParams } from './utils/secret-channel-world';

/**
 * Issue 14 part 1, as a new user met it: the real built service started with a PATH that holds only `node`
 * (no espeak-ng, no sox), in a process group of its own. An apply must answer 0, its speech job must fail
 * with a log line saying why, /health/ready must show tts down, and the process and its group must live on.
 */
const PORT = 17210;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('speech synthesis tools missing (e2e, built service)', () => {
  let bin: string;
  let service: ServiceProcess;

  beforeAll(async () => {
    // Jobs left in this test run's Redis db by other suites would queue ahead of ours.
    await flushTestRedis();
    bin = mkdtempSync(join(tmpdir(), 'resil-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    // Not ready: a process that runs workers without a TTS engine reports tts down in /health/ready.
    service = await ServiceProcess.start('tts-less', PORT, {}, { path: bin, ready: false });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(bin, { recursive: true, force: true });
  });

  it('should answer the apply 0, fail only the speech job with its reason, report tts down and stay alive', async () => {
    const client = new PartnerClient(service.baseUrl);
    const fixtures = new Fixtures(client);
    const app = await fixtures.app();
    const catalogID = `2${String(Date.now()).slice(-7)}`;
    await fixtures.catalog(catalogID, 2, '交通');
    const owner = await fixtures.account(app);

    const applied = await client.post(
      'applySecretChannel',
      {
        appKey: app.appKey,
        accountID: owner.accountID,
        accessToken: owner.accessToken,
        // A name never spoken before: a stored clip of the same text would be reused without synthesis.
        ...applyParams({ channelCatalogID: catalogID, channelName: `无工具${Date.now() % 1e8}` }),
      },
      { secret: app.secret },
    );
    expect(applied.body.ERRORCODE).toBe('0');

    // Every attempt of the job fails with the tool and the reason; the last one leaves the job failed.
    const attempts = await eventually('the speech job to fail all its attempts', () => {
      const jobId = `voice-secret-channel-${(applied.body.RESULT as { channelNumber: string }).channelNumber}`;
      const lines = service.logs('speech job attempt failed').filter((l) => l.jobId === jobId);
      return lines.length >= 3 ? lines : undefined;
    });
    for (const line of attempts) {
      expect(line.err).toMatch(/espeak-ng could not start: spawn espeak-ng ENOENT/);
    }
    expect(attempts.map((l) => `${String(l.attempt)}/${String(l.of)}`)).toEqual(['1/3', '2/3', '3/3']);

    // The probe at start said so too.
    expect(service.logs(/^speech synthesis unavailable/)[0]?.err).toMatch(/espeak-ng could not start/);

    const ready = await fetch(`${service.baseUrl}/health/ready`);
    const readiness = (await ready.json()) as { status: string; checks: Record<string, Record<string, unknown>> };
    expect(readiness.checks.tts).toMatchObject({ status: 'down', required: false });
    expect(String(readiness.checks.tts.error)).toMatch(/espeak-ng could not start/);
    // APP_ROLE=all: the partner API works, so the instance stays ready (docs/reliability.md).
    expect(ready.status).toBe(200);

    // A second apply after the failures still answers, from the same process.
    const again = await client.post(
      'applySecretChannel',
      {
        appKey: app.appKey,
        accountID: owner.accountID,
        accessToken: owner.accessToken,
        ...applyParams({ channelCatalogID: catalogID, channelName: '第二个频道' }),
      },
      { secret: app.secret },
    );
    expect(again.body.ERRORCODE).toBe('0');
    expect(service.process.running).toBe(true);
    expect(groupAlive(service.pid)).toBe(true);
  }, 60_000);
});
