/**
 * Imports the original system's data (API.md 15) into the database this service is configured for.
 *   npm run import-legacy -- --source mysql://user:pass@host:3306/WEMECustom [--redis-source redis://host:6379/0]
 *                            [--dry-run] [--batch-size 2000] [--no-voice] [--no-progress] [--report-json file]
 * The target is the service's own configuration (DB_*, REDIS_*, REDIS_KEY_PREFIX), as for `npm start`.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/configuration';
import { ConfigError } from '../src/config/env.validation';
import { formatReport } from '../src/legacy-import/import-report';
import { parseImportArgs, USAGE } from '../src/legacy-import/import-args';
import { importLegacy } from '../src/legacy-import/legacy-import.runner';

async function main(): Promise<number> {
  const parsed = parseImportArgs(process.argv.slice(2), process.stderr.isTTY === true);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n${USAGE}`);
    return 2;
  }
  const report = await importLegacy(loadConfig({ APP_ROLE: 'api' }), parsed.options);
  process.stdout.write(`${formatReport(report)}\n`);
  if (parsed.reportJson) {
    writeFileSync(parsed.reportJson, JSON.stringify(report, null, 2));
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `import failed (run it again to resume from the last committed batch): ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  },
);
