import { LegacyImportOptions } from './import-context';

class MissingValue extends Error {}

export const USAGE =
  'usage: npm run import-legacy -- --source <mysql URL> [--redis-source <redis URL>] [--dry-run] ' +
  '[--batch-size N] [--no-voice] [--no-progress] [--report-json <file>]\n';

/** The command line of `npm run import-legacy`; a string is the complaint to print with the usage. */
export function parseImportArgs(
  argv: string[],
  isTTY: boolean,
): { options: LegacyImportOptions; reportJson?: string } | string {
  const options: LegacyImportOptions = {
    source: '',
    dryRun: false,
    batchSize: 2000,
    voice: true,
    progress: isTTY,
  };
  let reportJson: string | undefined;
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      const value = (): string => {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) {
          throw new MissingValue(`${arg} needs a value`);
        }
        return v;
      };
      switch (arg) {
        case '--source':
          options.source = value();
          break;
        case '--redis-source':
          options.redisSource = value();
          break;
        case '--dry-run':
          options.dryRun = true;
          break;
        case '--batch-size':
          options.batchSize = Number(value());
          if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 20000) {
            return '--batch-size must be an integer 1-20000';
          }
          break;
        case '--no-voice':
          options.voice = false;
          break;
        case '--progress':
          options.progress = true;
          break;
        case '--no-progress':
          options.progress = false;
          break;
        case '--report-json':
          reportJson = value();
          break;
        default:
          return `unknown option ${arg}`;
      }
    }
  } catch (err) {
    if (err instanceof MissingValue) {
      return err.message;
    }
    throw err;
  }
  if (!/^mysql:\/\//.test(options.source)) {
    return '--source must be a mysql:// URL of the original WEMECustom database';
  }
  if (options.redisSource !== undefined && !/^rediss?:\/\//.test(options.redisSource)) {
    return '--redis-source must be a redis:// URL';
  }
  return { options, reportJson };
}
