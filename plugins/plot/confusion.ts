import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationData } from './inputs.ts';
import { asSpec, figureConfig, figureTitle, round, type FigureOptions } from './theme.ts';

/**
 * Confusion matrix: one cell per (true class, predicted class) pair, the "none" column counting samples
 * with no output spike; counts on the left, row-normalised fractions (each true class sums to 1) on the
 * right; the accuracy in the title.
 */
export function confusionSpec(e: EvaluationData, options: FigureOptions = {}): TopLevelSpec {
  const cell = Math.max(24, Math.min(60, Math.round(240 / e.columns.length)));
  const width = options.width ?? cell * e.columns.length;
  const height = options.height ?? cell * e.classes.length;
  const cells: { t: string; p: string; count: number; fraction: number }[] = [];
  e.matrix.forEach((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => cells.push({ t: e.classes[k], p: e.columns[j], count, fraction: total === 0 ? 0 : round(count / total, 4) }));
  });
  const panel = (field: 'count' | 'fraction', title: string, scheme: string, format: string) => ({
    name: field === 'count' ? 'counts' : 'fractions',
    width,
    height,
    title: { text: title, fontSize: 12, fontWeight: 'normal' },
    encoding: {
      x: { field: 'p', type: 'nominal', title: 'predicted class', sort: e.columns, axis: { labelAngle: 0 } },
      y: { field: 't', type: 'nominal', title: 'true class', sort: e.classes },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field, type: 'quantitative', title: field === 'count' ? 'samples' : 'fraction of row', scale: { scheme, ...(field === 'fraction' && { domain: [0, 1] }) } },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field, type: 'quantitative', format },
          // dark text on light cells, white on dark ones
          color: { condition: { test: `datum.${field} > ${field === 'count' ? 0.5 * Math.max(1, ...cells.map((c) => c.count)) : 0.5}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  });
  const pct = (100 * e.accuracy).toFixed(2);
  const correct = e.matrix.reduce((a, row, k) => a + (row[k] ?? 0), 0);
  const model = e.model.split(/[\\/]/).pop() ?? '';
  const where = [e.split && `${e.split} split`, e.substrate && `substrate ${e.substrate}${e.substrateOptions ? ` ${e.substrateOptions}` : ''}`].filter(Boolean).join(', ');
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(`Confusion${model ? ` of ${model}` : ''}${where ? ` (${where})` : ''}: accuracy ${pct}% (${correct}/${e.samples})`, options),
    data: { values: cells },
    hconcat: [panel('count', 'counts', 'blues', 'd'), panel('fraction', 'row-normalised', 'greens', '.2f')],
    resolve: { scale: { color: 'independent' } },
    config: figureConfig(),
  });
}
