import type { TopLevelSpec } from 'vega-lite';
import type { EpochLogRecord } from '../learning/epochLog.ts';
import { asSpec, figureConfig, figureTitle, round, type FigureOptions } from './theme.ts';

/** One training run's log (plugins/learning/epochLog.ts) and a label for the legend. */
export interface TrainingRun {
  readonly label: string;
  readonly records: readonly EpochLogRecord[];
}

/** The label of a run: its seed when the runs differ only in seed, else preset/substrate/seed. */
export function runLabels(runs: readonly (readonly EpochLogRecord[])[]): string[] {
  const first = runs.map((r) => r[0]);
  const same = (k: 'preset' | 'substrate') => new Set(first.map((f) => f?.[k])).size <= 1;
  const labels = first.map((f, i) => (f === undefined ? `run ${i + 1}` : same('preset') && same('substrate') ? `seed ${f.seed}` : `${f.preset} ${f.substrate} seed ${f.seed}`));
  // repeated labels (the same seed twice) are numbered
  return labels.map((l, i) => (labels.indexOf(l) !== labels.lastIndexOf(l) ? `${l} (${i + 1})` : l));
}

/**
 * Training curves: loss and accuracy per epoch, training (solid) and validation (dashed), one colour per
 * run (several logs overlay seeds), and the epoch selected on validation accuracy marked by a vertical rule
 * and a dot on the validation accuracy.
 */
export function trainingSpec(runs: readonly TrainingRun[], options: FigureOptions = {}): TopLevelSpec {
  const width = options.width ?? 420;
  const height = options.height ?? 260;
  const rows: { run: string; epoch: number; split: string; loss: number | null; accuracy: number | null }[] = [];
  const selected: { run: string; epoch: number; accuracy: number | null }[] = [];
  for (const { label, records } of runs) {
    for (const r of records) {
      rows.push({ run: label, epoch: r.epoch, split: 'training', loss: r.train_loss === null ? null : round(r.train_loss), accuracy: round(r.train_accuracy) });
      if (r.validation_accuracy !== null) {
        rows.push({
          run: label,
          epoch: r.epoch,
          split: 'validation',
          loss: r.validation_loss === null ? null : round(r.validation_loss),
          accuracy: round(r.validation_accuracy),
        });
      }
    }
    const last = records[records.length - 1];
    if (last !== undefined && last.selected_epoch !== null) {
      const sel = records.find((r) => r.epoch === last.selected_epoch);
      selected.push({ run: label, epoch: last.selected_epoch, accuracy: sel?.validation_accuracy ?? null });
    }
  }
  const runNames = runs.map((r) => r.label);
  const color = { field: 'run', type: 'nominal', title: runs.length > 1 ? 'run' : null, scale: { domain: runNames }, legend: runs.length > 1 ? {} : null };
  const dash = { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['training', 'validation'], range: [[1, 0], [5, 3]] } };
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  const panel = (field: 'loss' | 'accuracy', title: string, extra: Record<string, unknown>) => {
    const layers: Record<string, unknown>[] = [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.3, clip: true },
        encoding: { x, y: { field, type: 'quantitative', title, ...extra }, color, strokeDash: dash, detail: { field: 'split' } },
      },
    ];
    if (selected.length > 0) {
      layers.push({
        data: { values: selected },
        mark: { type: 'rule', strokeWidth: 1, opacity: 0.6 },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, color },
      });
      if (field === 'accuracy') {
        layers.push({
          data: { values: selected.filter((s) => s.accuracy !== null) },
          mark: { type: 'point', filled: true, size: 50, shape: 'diamond' },
          encoding: {
            x: { field: 'epoch', type: 'quantitative' },
            y: { field: 'accuracy', type: 'quantitative' },
            color,
            tooltip: [{ field: 'run' }, { field: 'epoch' }, { field: 'accuracy' }],
          },
        });
      }
    }
    return { width, height, layer: layers };
  };
  const first = runs.find((r) => r.records.length > 0)?.records[0];
  const what = first === undefined ? 'no epochs' : `${first.preset} on ${first.substrate}`;
  const epochs = Math.max(0, ...runs.map((r) => r.records.length));
  // a log of a run still going (or stopped early) ends before the run's planned epochs: said in the title
  const unfinished = runs.flatMap(({ label, records }) => {
    const last = records[records.length - 1];
    return last !== undefined && last.epoch < last.epochs ? [`${label} at epoch ${last.epoch}/${last.epochs}`] : [];
  });
  const selNote = selected.length === 0 ? '' : selected.length === 1 ? `; selected epoch ${selected[0].epoch} (rule, diamond)` : '; selected epochs marked (rules, diamonds)';
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(
      [
        `Training: ${what}, ${runs.length === 1 ? runNames[0] : `${runs.length} runs`}, ${epochs} epochs${selNote}`,
        ...(unfinished.length === 0 ? [] : [`unfinished: ${unfinished.join(', ')}`]),
      ],
      options,
    ),
    hconcat: [panel('loss', 'loss (TTFS cross-entropy)', { scale: { zero: false } }), panel('accuracy', 'accuracy', { axis: { format: '.0%' }, scale: { zero: false } })],
    config: figureConfig(),
  });
}
