import type { TopLevelSpec } from 'vega-lite';
import { asSpec, figureConfig, figureTitle, round, type FigureOptions } from './theme.ts';

/** First-spike times of every layer of a layered network for one input. */
export interface LayerSpikesData {
  /** Layer names, input first (e.g. input, hidden 1, output). */
  readonly layers: readonly string[];
  /** Per layer: first-spike time of each neuron (tau_syn units; Infinity = no spike). */
  readonly times: readonly ArrayLike<number>[];
  /** Class names of the output neurons (for the y labels of the output layer). */
  readonly classNames: readonly string[];
  /** Sample description for the title. */
  readonly sample: string;
  readonly label: number;
  readonly predicted: number;
}

/**
 * Time-to-first-spike picture of one input: one row per layer, a dot per neuron that spiked at its first
 * spike time (neuron index on y), the output layer labelled by class and the earliest output spike (the
 * prediction) ringed. Silent neurons are counted in each row's title.
 */
export function layerSpikesSpec(d: LayerSpikesData, options: FigureOptions = {}): TopLevelSpec {
  const width = options.width ?? 520;
  const height = options.height ?? 300;
  const finite = d.times.flatMap((t) => Array.from(t).filter(Number.isFinite));
  const tMax = finite.length === 0 ? 1 : Math.max(...finite);
  const total = d.times.reduce((a, t) => a + t.length, 0);
  const L = d.layers.length - 1;
  const panels = d.layers.map((name, l) => {
    const t = d.times[l];
    const rows: { n: number; t: number; c: string }[] = [];
    for (let n = 0; n < t.length; n++) if (Number.isFinite(t[n])) rows.push({ n, t: round(t[n], 6), c: l === L ? (d.classNames[n] ?? String(n)) : '' });
    const silent = t.length - rows.length;
    const h = Math.max(40, Math.round((height * Math.max(t.length, 3)) / total));
    const isOut = l === L;
    const layers: Record<string, unknown>[] = [
      {
        name: `layer${l}`,
        data: { values: rows },
        mark: { type: 'point', filled: true, size: isOut ? 70 : 22, color: l === 0 ? '#555555' : isOut ? '#D55E00' : '#0072B2' },
        encoding: {
          x: { field: 't', type: 'quantitative', title: l === L ? 'first-spike time (τ_syn)' : null, scale: { domain: [0, round(tMax * 1.05, 3)], nice: false } },
          y: isOut
            ? { field: 'c', type: 'nominal', title: 'class', sort: d.classNames }
            : { field: 'n', type: 'quantitative', title: 'neuron', scale: { domain: [0, Math.max(1, t.length - 1)], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
        },
      },
    ];
    if (isOut && d.predicted >= 0) {
      layers.push({
        data: { values: rows.filter((r) => r.n === d.predicted) },
        mark: { type: 'point', size: 260, strokeWidth: 1.5, color: 'black' },
        encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'c', type: 'nominal', sort: d.classNames } },
      });
    }
    return {
      width,
      height: isOut ? Math.max(50, 22 * t.length) : h,
      title: { text: `${name}: ${t.length} neurons, ${silent} without a spike`, fontSize: 11, fontWeight: 'normal', anchor: 'start' },
      layer: layers,
    };
  });
  const nameOf = (k: number) => (k < 0 ? 'none (no output spike)' : (d.classNames[k] ?? String(k)));
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(`First spikes per layer, ${d.sample}: true class ${nameOf(d.label)}, predicted ${nameOf(d.predicted)} (ringed)`, options),
    vconcat: panels,
    config: figureConfig(),
  });
}
