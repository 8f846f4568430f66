/** How many rows of one kind were read, imported, found already present, skipped (by reason) or corrected. */
export interface StepTally {
  read: number;
  imported: number;
  present: number;
  skipped: Record<string, number>;
  /** Rows imported with a change the report must show (a recomputed count, a regenerated code...). */
  corrected: Record<string, number>;
  /** Up to EXAMPLES_PER_REASON legacy keys per skip or correction reason, for the person checking the report. */
  examples: Record<string, string[]>;
  /** Free-form lines, such as the trusted apps found. */
  notes: string[];
}

const EXAMPLES_PER_REASON = 5;

export function emptyTally(): StepTally {
  return { read: 0, imported: 0, present: 0, skipped: {}, corrected: {}, examples: {}, notes: [] };
}

function example(tally: StepTally, reason: string, key: string): void {
  const list = (tally.examples[reason] ??= []);
  if (list.length < EXAMPLES_PER_REASON) {
    list.push(key);
  }
}

export function skip(tally: StepTally, reason: string, key: string): void {
  tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
  example(tally, reason, key);
}

export function correct(tally: StepTally, reason: string, key: string): void {
  tally.corrected[reason] = (tally.corrected[reason] ?? 0) + 1;
  example(tally, reason, key);
}

export function skippedCount(tally: StepTally): number {
  return Object.values(tally.skipped).reduce((a, b) => a + b, 0);
}

export interface ImportReport {
  dryRun: boolean;
  /** True when this run went on from the checkpoint an interrupted run left. */
  resumed: boolean;
  startedAt: string;
  durationMs: number;
  /** Steps in the order they run; ms is this run's time in the step (0 for one an earlier run finished). */
  steps: Array<{ step: string; title: string; tally: StepTally; ms: number }>;
  /** The number the next applySecretChannel gets. */
  nextChannelNumber: string;
  /** Whether the run wrote (or, dry, would write) anything at all. */
  changed: boolean;
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

/** The report as a person reads it at the end of a run. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const mode = report.dryRun ? 'DRY RUN (nothing written; "imported" = would be imported)' : 'import';
  lines.push(`Legacy import report — ${mode}${report.resumed ? ', resumed from a checkpoint' : ''}`);
  lines.push(`started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push('');
  lines.push(
    `${'step'.padEnd(44)}${pad('read', 10)}${pad('imported', 10)}${pad('present', 10)}${pad('skipped', 10)}${pad('seconds', 9)}`,
  );
  for (const { title, tally, ms } of report.steps) {
    const seconds = ms > 0 ? (ms / 1000).toFixed(1) : '';
    lines.push(
      `${title.padEnd(44)}${pad(tally.read, 10)}${pad(tally.imported, 10)}${pad(tally.present, 10)}${pad(skippedCount(tally), 10)}${pad(seconds, 9)}`,
    );
  }
  for (const { title, tally } of report.steps) {
    const reasons = [
      ...Object.entries(tally.skipped).map(([r, n]) => ({ kind: 'skipped', r, n })),
      ...Object.entries(tally.corrected).map(([r, n]) => ({ kind: 'corrected', r, n })),
    ];
    if (reasons.length === 0 && tally.notes.length === 0) {
      continue;
    }
    lines.push('');
    lines.push(`${title}:`);
    for (const { kind, r, n } of reasons) {
      const examples = tally.examples[r]?.length ? ` (e.g. ${tally.examples[r].join(', ')})` : '';
      lines.push(`  ${kind} ${n}: ${r}${examples}`);
    }
    for (const note of tally.notes) {
      lines.push(`  ${note}`);
    }
  }
  lines.push('');
  lines.push(`next new group channel number: ${report.nextChannelNumber}`);
  lines.push(
    report.changed
      ? report.dryRun
        ? 'a real run would change the target database as above'
        : 'the target database was changed as above'
      : 'nothing to do: the target already holds everything this source can bring (no change made)',
  );
  return lines.join('\n');
}
