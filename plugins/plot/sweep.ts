import type { TopLevelSpec } from 'vega-lite';
import type { SweepResults } from './inputs.ts';
import { PlotInputError } from './inputs.ts';
import { asSpec, figureConfig, figureTitle, meanStd, round, type FigureOptions } from './theme.ts';

export interface SweepOptions extends FigureOptions {
  /** Axis on x (default: the first of the results' axes). */
  readonly axis?: string;
}

/** Mean and standard deviation of the test accuracy over seeds, per (mode, value of the axis). */
export function sweepSummary(results: SweepResults, axis: string): { mode: string; x: number | string; mean: number; std: number; seeds: number }[] {
  const groups = new Map<string, { mode: string; x: number | string; acc: number[] }>();
  for (const r of results.rows) {
    const x = r.point[axis];
    if (x === undefined) continue;
    const key = JSON.stringify([r.mode, x]);
    const g = groups.get(key) ?? { mode: r.mode, x, acc: [] };
    g.acc.push(r.test_accuracy);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ mode: g.mode, x: g.x, ...meanStd(g.acc), seeds: g.acc.length }));
}

/**
 * Robustness sweep: test accuracy (mean over seeds, error bars one standard deviation) against the value
 * of one axis, one line per training mode. Other axes varied in the same rows, if any, are pooled (said in
 * the title).
 */
export function sweepSpec(results: SweepResults, options: SweepOptions = {}): TopLevelSpec {
  const axis = options.axis ?? results.axes[0];
  if (!results.axes.includes(axis)) throw new PlotInputError(`no axis '${axis}' (axes: ${results.axes.join(', ')})`);
  const summary = sweepSummary(results, axis).map((s) => ({ ...s, mean: round(s.mean), lo: round(s.mean - s.std), hi: round(s.mean + s.std) }));
  const numeric = summary.every((s) => typeof s.x === 'number');
  const x = { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: axis };
  const color = { field: 'mode', type: 'nominal', title: 'training mode' };
  // axes varied together with this one in the plotted rows (a product sweep); a one-axis-at-a-time sweep
  // ("combine": "each") has rows that name only their own axis, so nothing is pooled
  const others = results.axes.filter((a) => a !== axis && results.rows.some((r) => r.point[axis] !== undefined && r.point[a] !== undefined));
  const seeds = new Set(results.rows.map((r) => r.seed)).size;
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(
      `Test accuracy against ${axis}: mean over ${seeds} seed${seeds === 1 ? '' : 's'}, bars 1 std` + (others.length > 0 ? ` (pooled over ${others.join(', ')})` : ''),
      options,
    ),
    width: options.width ?? 460,
    height: options.height ?? 280,
    data: { values: summary },
    encoding: { x, color },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'test accuracy', axis: { format: '.0%' }, scale: { zero: false } } } },
      { name: 'means', mark: { type: 'point', filled: true, size: 40 }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
      { name: 'errorbars', mark: { type: 'rule', strokeWidth: 1.2 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
    ],
    config: figureConfig(),
  });
}
