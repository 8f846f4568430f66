/**
 * Prints the partner signature for the given parameters, and the urlencoded body to send.
 *   npm run sign -- --secret <APP_SECRET> appKey=1111111111 accountID=aaaaaaaaaa channelNumber=000000001
 */
import { computeSign } from '../src/common/signature/sign';

function main(argv: string[]): number {
  let secret: string | undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--secret') {
      secret = argv[++i];
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`not a name=value pair: ${arg}\n`);
      return 2;
    }
    params[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  if (secret === undefined) {
    process.stderr.write('usage: npm run sign -- --secret <APP_SECRET> name=value [name=value ...]\n');
    return 2;
  }
  const sign = computeSign(params, secret);
  const body = new URLSearchParams({ ...params, sign }).toString();
  process.stdout.write(`sign=${sign}\nbody=${body}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
