/**
 * Prints a sweep's results (results.json of `firstspike sweep` or `sweep merge`) as a markdown table:
 * per axis and value, the test accuracy of each mode as mean +- std over seeds (%), with the number of seeds.
 *
 *   npx tsx bench/sweep-table.ts out/sweeps/yinyang-imperfections/results.json
 */
import { readFileSync } from 'node:fs';
import type { SweepResults, SweepRow } from '../plugins/sweep/index.ts';

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: npx tsx bench/sweep-table.ts RESULTS.json');
  process.exit(2);
}
const results = JSON.parse(readFileSync(path, 'utf8')) as SweepResults;
const modes = [...new Set(results.rows.map((r) => r.mode))];

function stats(xs: readonly number[]): string {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : NaN;
  return `${(100 * mean).toFixed(1)} ± ${Number.isNaN(sd) ? '-' : (100 * sd).toFixed(1)}`;
}

const lines = [`| axis | value | ${modes.join(' | ')} | seeds |`, `| --- | --- | ${modes.map(() => '---').join(' | ')} | --- |`];
for (const axis of results.axes) {
  const rows = results.rows.filter((r) => Object.hasOwn(r.point, axis));
  const values: unknown[] = [];
  for (const r of rows) if (!values.some((v) => JSON.stringify(v) === JSON.stringify(r.point[axis]))) values.push(r.point[axis]);
  for (const value of values) {
    const at = rows.filter((r) => JSON.stringify(r.point[axis]) === JSON.stringify(value));
    const cells = modes.map((m) => {
      const xs = at.filter((r: SweepRow) => r.mode === m).map((r) => r.test_accuracy);
      return xs.length === 0 ? '' : stats(xs);
    });
    const seeds = new Set(at.map((r) => r.seed)).size;
    lines.push(`| ${axis} | ${JSON.stringify(value)} | ${cells.join(' | ')} | ${seeds} |`);
  }
}
console.log(lines.join('\n'));
