/**
 * Growth of the engine's cost with network size (issue: engine throughput, target 3): the benchmark network
 * of bench/engine.ts (K = 100) at N = 1e3 .. 1e5, each size in its own process so that its peak RSS is its
 * own. Prints one line per size and the time per synaptic event relative to the smallest size.
 *
 *   npx tsx bench/engine-scaling.ts [--sizes 1000,10000,100000] [--seconds 1] [--seed 1] [--reference]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const sizes = argument('sizes', '1000,10000,100000').split(',');
const seconds = argument('seconds', '1');
const seed = argument('seed', '1');
const extra = process.argv.includes('--reference') ? ['--reference'] : [];
const script = fileURLToPath(new URL('./engine.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

interface Row {
  n: number;
  line: string;
  nsPerEventWall: number;
  nsPerEventCpu: number;
}
const rows: Row[] = [];
for (const n of sizes) {
  const out = execFileSync(process.execPath, [tsx, script, '--sizes', n, '--seconds', seconds, '--seed', seed, ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = out.trim().split('\n').pop()!;
  const events = Number(/events=(\d+)/.exec(line)![1]);
  const wall = Number(/wall=([\d.]+) s/.exec(line)![1]);
  const cpu = Number(/cpu=([\d.]+) s/.exec(line)![1]);
  rows.push({ n: Number(n), line, nsPerEventWall: (1e9 * wall) / events, nsPerEventCpu: (1e9 * cpu) / events });
  console.log(line);
}
const base = rows[0];
for (const r of rows) {
  console.log(
    `N=${r.n}: ${r.nsPerEventWall.toFixed(1)} ns/event wall (${(r.nsPerEventWall / base.nsPerEventWall).toFixed(2)}x N=${base.n}), ` +
      `${r.nsPerEventCpu.toFixed(1)} ns/event CPU (${(r.nsPerEventCpu / base.nsPerEventCpu).toFixed(2)}x)`,
  );
}
