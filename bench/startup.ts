/**
 * Start-up of the `firstspike` command as a user runs it (bin/firstspike.js on the compiled dist/, plain
 * Node): `--help` and a `simulate` of examples/chain.json, next to bare `node -e 0`. The commands run
 * interleaved, `--runs` times each; per command it prints the median and the minimum wall time and the
 * median CPU time (user + system of the child, which a busy machine inflates far less than wall time),
 * with the load average before and after. Build first (`npm run build`).
 *
 *   npx tsx bench/startup.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(argument('runs', '15'));
const commands: readonly (readonly [string, readonly string[]])[] = [
  ['node -e 0 (bare Node)', ['-e', '0']],
  ['firstspike --help', ['bin/firstspike.js', '--help']],
  ['firstspike simulate examples/chain.json', ['bin/firstspike.js', 'simulate', 'examples/chain.json']],
];

/** Wall seconds of one run, and the CPU seconds (user + system) the child used. */
function once(args: readonly string[]): { wall: number; cpu: number } {
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: childCpuSeconds() - cpuBefore };
}

/** CPU seconds used so far by this process's waited-for children: cutime + cstime of /proc/self/stat (Linux). */
function childCpuSeconds(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 of proc(5)
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100; // clock ticks, USER_HZ = 100
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`node ${process.version}; ${runs} runs of each command, interleaved; load average before: ${load()}`);
const results = commands.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], c) => {
    const r = once(args);
    results[c].wall.push(r.wall);
    results[c].cpu.push(r.cpu);
  });
}
commands.forEach(([name], c) => {
  const { wall, cpu } = results[c];
  console.log(
    `${name.padEnd(42)} wall median ${median(wall).toFixed(3)} s, min ${Math.min(...wall).toFixed(3)} s; CPU median ${median(cpu).toFixed(2)} s`,
  );
});
console.log(`load average after: ${load()}`);
