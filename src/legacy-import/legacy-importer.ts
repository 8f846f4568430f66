import { createPool } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { channelNumberOf } from '../secret-channel/secret-channel.service';
import { CheckpointStore, ImportContext, LegacyImportOptions } from './import-context';
import { ImportReport } from './import-report';
import { importCatalogs } from './steps/catalog.step';
import { importKeyBindings } from './steps/key-binding.step';
import { repairOwnersAndCounts, reportCountDisagreements } from './steps/member-count.step';
import { importJoinRequests, importMemberships } from './steps/membership.step';
import { importMicroApplications, importMicroChannels, importMicroEdits } from './steps/micro-channel.step';
import { CredentialServices, importRedisApps } from './steps/redis-app.step';
import { importSecretChannels } from './steps/secret-channel.step';
import { queueVoiceNames } from './steps/voice.step';
import { STEP_TITLES } from './step-titles';

/** Two imports into one database would interleave their batches: the second one stops at once. */
const IMPORT_LOCK = 'channel_service_legacy_import';
const IMPORT_LOCK_WAIT_SECONDS = 0;

/** Steps whose "imported" is a change to the target; the userCount check and voice queueing only report. */
const WRITING_STEPS = [
  'apps',
  'tokens',
  'catalogs',
  'channels',
  'members',
  'joinRequests',
  'keyBindings',
  'ownerMemberships',
  'memberCounts',
  'microApplications',
  'microChannels',
  'microEdits',
  'accounts',
];

export interface ImporterServices extends CredentialServices {
  target: DataSource;
  speech: SpeechSynthesisProducer;
}

/**
 * One run of the legacy import (API.md 15): the steps in dependency order, each resumable from the checkpoint
 * an interrupted run left, then the report. The caller has run the service's migrations.
 */
export async function runImport(services: ImporterServices, options: LegacyImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const legacy = createPool({ uri: options.source, connectionLimit: 2, dateStrings: true, supportBigNumbers: true });
  const lock = services.target.createQueryRunner();
  await lock.connect();
  try {
    const [{ got }] = (await lock.query('SELECT GET_LOCK(?, ?) AS got', [
      IMPORT_LOCK,
      IMPORT_LOCK_WAIT_SECONDS,
    ])) as Array<{
      got: number | string | null;
    }>;
    if (Number(got) !== 1) {
      throw new Error('another legacy import is running against this database');
    }
    const checkpoints = new CheckpointStore(services.target);
    const ctx = new ImportContext(legacy, services.target, options, checkpoints);
    ctx.resumed = !options.dryRun && (await checkpoints.load());
    // Steps an interrupted run finished are not run again; their tallies still belong in the report.
    checkpoints.steps().forEach((step) => ctx.tally(step));
    const durations = new Map<string, number>();
    const timed = async (step: string, run: () => Promise<void>): Promise<void> => {
      const t0 = Date.now();
      await run();
      durations.set(step, (durations.get(step) ?? 0) + Date.now() - t0);
    };
    if (options.redisSource) {
      const url = options.redisSource;
      await timed('apps', () => importRedisApps(ctx, url, services));
    }
    await timed('catalogs', () => importCatalogs(ctx));
    await timed('channels', () => importSecretChannels(ctx));
    await timed('members', () => importMemberships(ctx));
    await timed('joinRequests', () => importJoinRequests(ctx));
    await timed('keyBindings', () => importKeyBindings(ctx));
    await timed('memberCounts', () => repairOwnersAndCounts(ctx));
    await timed('countCheck', () => reportCountDisagreements(ctx));
    await timed('microApplications', () => importMicroApplications(ctx));
    await timed('microChannels', () => importMicroChannels(ctx));
    await timed('microEdits', () => importMicroEdits(ctx));
    const changed = WRITING_STEPS.some((step) => (ctx.tallies.get(step)?.imported ?? 0) > 0);
    if (options.voice && (changed || ctx.resumed)) {
      await timed('voiceGroup', () => queueVoiceNames(ctx, services.speech));
    }
    const [{ next }] = await services.target.query<Array<{ next: string | null }>>(
      "SELECT AUTO_INCREMENT AS next FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'secret_channel'",
    );
    if (!options.dryRun) {
      await checkpoints.clear();
    }
    return {
      dryRun: options.dryRun,
      resumed: ctx.resumed,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      steps: Object.keys(STEP_TITLES)
        .filter((step) => ctx.tallies.has(step))
        .map((step) => ({ step, title: STEP_TITLES[step], tally: ctx.tally(step), ms: durations.get(step) ?? 0 })),
      nextChannelNumber: channelNumberOf(next ?? '1'),
      changed,
    };
  } finally {
    await lock.query('SELECT RELEASE_LOCK(?)', [IMPORT_LOCK]).catch(() => undefined);
    await lock.release();
    await legacy.end();
  }
}
