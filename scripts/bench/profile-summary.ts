/**
 * Prints where a V8 CPU profile (node --cpu-prof, e.g. BENCH_CPU_PROF=<dir> npm run bench) spent its
 * time: self time by function and by package, idle included, so a hot path's cost can be read at once.
 *
 *   npx ts-node scripts/bench/profile-summary.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) {
    return m[1];
  }
  if (url.includes('/dist/')) {
    return 'service (dist)';
  }
  return url.startsWith('node:') ? 'node core' : url === '' ? '(native/vm)' : url;
}

const [file, rowsArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfByFn = new Map<string, number>();
const selfByPkg = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
  selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + dt);
  const pkg = ['(idle)', '(garbage collector)', '(program)'].includes(functionName) ? functionName : packageOf(url);
  selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + dt);
});
const top = (m: Map<string, number>, n: number): string[] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
process.stdout.write(
  `total ${(total / 1e6).toFixed(1)} s sampled\n\nby package:\n${top(selfByPkg, 25).join('\n')}\n\n`,
);
process.stdout.write(`by function (self):\n${top(selfByFn, Number(rowsArg ?? 40)).join('\n')}\n`);
