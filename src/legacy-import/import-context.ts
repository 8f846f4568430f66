import { SingleBar } from 'cli-progress';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { DataSource, EntityManager } from 'typeorm';
import { emptyTally, StepTally } from './import-report';
import { STEP_TITLES } from './step-titles';

export interface LegacyImportOptions {
  /** mysql://user:password@host:port/WEMECustom of the original. */
  source: string;
  /** redis://host:port/db of the original's "public" Redis (appKeyInfo hashes). */
  redisSource?: string;
  dryRun: boolean;
  /** Rows per keyset batch; one batch is one target transaction and one checkpoint. */
  batchSize: number;
  /** Queue the re-synthesis of voice names (false only for rehearsals that must not load the TTS workers). */
  voice: boolean;
  /** Draw progress bars on stderr. */
  progress: boolean;
  /** Awaited after each committed batch; tests throw from here to interrupt a run, or hold it. */
  afterBatch?: (step: string, batch: number) => void | Promise<void>;
}

export interface ChannelEntry {
  /** The target row id; `dry:<number>` in a dry run for a row that would be created. */
  id: string;
  owner: string;
}

interface Checkpoint {
  cursor: string | null;
  done: boolean;
  tally: StepTally;
}

/** Checkpoint rows of the run in progress (table legacy_import_checkpoint); none while no run is unfinished. */
export class CheckpointStore {
  private rows = new Map<string, Checkpoint>();

  constructor(private readonly target: DataSource) {}

  async load(): Promise<boolean> {
    const rows = await this.target.query<
      Array<{ step: string; cursor_value: string | null; done: number; tally: string }>
    >('SELECT step, cursor_value, done, tally FROM legacy_import_checkpoint');
    this.rows = new Map(
      rows.map((r) => [
        r.step,
        {
          cursor: r.cursor_value,
          done: Number(r.done) === 1,
          tally: typeof r.tally === 'string' ? (JSON.parse(r.tally) as StepTally) : (r.tally as StepTally),
        },
      ]),
    );
    return this.rows.size > 0;
  }

  steps(): string[] {
    return [...this.rows.keys()];
  }

  get(step: string): Checkpoint | undefined {
    return this.rows.get(step);
  }

  async save(m: EntityManager, step: string, cursor: string | null, done: boolean, tally: StepTally): Promise<void> {
    await m.query(
      'INSERT INTO legacy_import_checkpoint (step, cursor_value, done, tally) VALUES (?, ?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE cursor_value = VALUES(cursor_value), done = VALUES(done), tally = VALUES(tally)',
      [step, cursor, done ? 1 : 0, JSON.stringify(tally)],
    );
    this.rows.set(step, { cursor, done, tally });
  }

  /** A finished run leaves nothing behind, so the next run starts from the beginning (and finds it all there). */
  async clear(): Promise<void> {
    await this.target.query('DELETE FROM legacy_import_checkpoint');
    this.rows.clear();
  }
}

/** What every step shares: both databases, the mode, the directories of what the target holds, the tallies. */
export class ImportContext {
  readonly tallies = new Map<string, StepTally>();
  /** Legacy group channel number -> target channel. */
  readonly channels = new Map<string, ChannelEntry>();
  /** Catalog id -> name. */
  readonly catalogs = new Map<string, string>();
  /** Lower-cased micro channel number -> target micro_channel id (`dry:...` in a dry run). */
  readonly microChannels = new Map<string, string>();
  /** Accounts this run has already looked up (and, dry, would have created): each is counted once. */
  private readonly seenAccounts = new Set<string>();
  resumed = false;

  constructor(
    readonly legacy: Pool,
    readonly target: DataSource,
    readonly options: LegacyImportOptions,
    readonly checkpoints: CheckpointStore,
  ) {}

  get dryRun(): boolean {
    return this.options.dryRun;
  }

  tally(step: string): StepTally {
    let tally = this.tallies.get(step);
    if (!tally) {
      tally = this.checkpoints.get(step)?.tally ?? emptyTally();
      this.tallies.set(step, tally);
    }
    return tally;
  }

  async legacyRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.legacy.query<RowDataPacket[]>(sql, params);
    return rows as unknown as T[];
  }

  /** Reads from the target: inside the batch transaction when there is one. */
  read<T extends unknown[]>(m: EntityManager | null, sql: string, params: unknown[] = []): Promise<T> {
    return (m ?? this.target.manager).query<T>(sql, params);
  }

  /**
   * Creates the accounts the rows of a batch name (API.md 15: every accountID the imported rows name), each
   * counted once in the "accounts" step.
   */
  async ensureAccounts(m: EntityManager | null, ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.seenAccounts.has(id));
    if (wanted.length === 0) {
      return;
    }
    const tally = this.tally('accounts');
    const present = new Set(
      (
        await this.read<Array<{ id: string }>>(m, 'SELECT account_id AS id FROM account WHERE account_id IN (?)', [
          wanted,
        ])
      ).map((r) => r.id),
    );
    const missing = wanted.filter((id) => !present.has(id));
    tally.read += wanted.length;
    tally.present += present.size;
    tally.imported += missing.length;
    wanted.forEach((id) => this.seenAccounts.add(id));
    if (missing.length === 0 || !m) {
      return;
    }
    await m.query('INSERT INTO account (account_id, nickname, roles) VALUES ?', [missing.map((id) => [id, '', ''])]);
  }

  /**
   * Runs one step over a legacy table in keyset batches. Each batch's writes and the step's checkpoint commit
   * in one transaction, so an interrupted run resumes exactly after the last committed batch.
   */
  async keyset<R>(spec: {
    step: string;
    count: () => Promise<number>;
    fetch: (cursor: string | null, limit: number) => Promise<R[]>;
    cursorOf: (row: R) => string;
    handle: (rows: R[], m: EntityManager | null, tally: StepTally) => Promise<void>;
  }): Promise<void> {
    const saved = this.dryRun ? undefined : this.checkpoints.get(spec.step);
    if (saved?.done) {
      return;
    }
    const tally = this.tally(spec.step);
    let cursor = saved?.cursor ?? null;
    const bar = this.options.progress
      ? this.progressBar(STEP_TITLES[spec.step] ?? spec.step, await spec.count(), tally.read)
      : undefined;
    let batch = 0;
    try {
      for (;;) {
        const rows = await spec.fetch(cursor, this.options.batchSize);
        if (rows.length === 0) {
          break;
        }
        const next = spec.cursorOf(rows[rows.length - 1]);
        if (this.dryRun) {
          await spec.handle(rows, null, tally);
        } else {
          await this.target.transaction('READ COMMITTED', async (m) => {
            await spec.handle(rows, m, tally);
            await this.saveProgress(m, spec.step, next, false);
          });
        }
        cursor = next;
        batch++;
        bar?.update(tally.read);
        await this.options.afterBatch?.(spec.step, batch);
      }
    } finally {
      bar?.stop();
    }
    await this.finishStep(spec.step, cursor);
  }

  /** A step that is not a table walk (one statement, a Redis scan): runs once, then is marked done. */
  async once(step: string, run: (m: EntityManager | null, tally: StepTally) => Promise<void>): Promise<void> {
    if (!this.dryRun && this.checkpoints.get(step)?.done) {
      return;
    }
    const tally = this.tally(step);
    if (this.dryRun) {
      await run(null, tally);
      return;
    }
    await this.target.transaction('READ COMMITTED', async (m) => {
      await run(m, tally);
      await this.saveProgress(m, step, null, true);
    });
  }

  async finishStep(step: string, cursor: string | null): Promise<void> {
    if (this.dryRun) {
      return;
    }
    await this.target.transaction('READ COMMITTED', (m) => this.saveProgress(m, step, cursor, true));
  }

  private async saveProgress(m: EntityManager, step: string, cursor: string | null, done: boolean): Promise<void> {
    await this.checkpoints.save(m, step, cursor, done, this.tally(step));
    const accounts = this.tallies.get('accounts');
    if (accounts && step !== 'accounts') {
      await this.checkpoints.save(m, 'accounts', null, false, accounts);
    }
  }

  private progressBar(title: string, total: number, start: number): SingleBar {
    const bar = new SingleBar({
      format: `${title.padEnd(44)} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted} | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
    });
    bar.start(Math.max(total, start), start);
    return bar;
  }
}
