import type { TopLevelSpec } from 'vega-lite';
import { asSpec, figureConfig, figureTitle, round, type FigureOptions } from './theme.ts';

/** A population as the config describes it (sizes fix the y axis; thresholds draw lines on the traces). */
export interface RasterPopulation {
  readonly name: string;
  readonly size: number;
  /** Per neuron (mV), for LIF populations. */
  readonly vThreshMv?: ArrayLike<number>;
  readonly vResetMv?: ArrayLike<number>;
}

/** What `firstspike simulate` writes (format firstspike.simulation), plus the config's populations if known. */
export interface RasterData {
  readonly durationMs: number;
  readonly spikes: { readonly population: readonly string[]; readonly index: ArrayLike<number>; readonly timeMs: ArrayLike<number> };
  readonly traces: readonly { readonly population: string; readonly index: number; readonly dtMs: number; readonly vMv: ArrayLike<number> }[];
  readonly populations?: readonly RasterPopulation[];
}

export interface RasterOptions extends FigureOptions {
  /** Above this many spikes the raster is a density image; traces are thinned to this many samples. Default 20000. */
  readonly maxMarks?: number;
  /** Width of the rate histogram's bins (ms). Default: a round number giving about 100 bins. */
  readonly rateBinMs?: number;
}

export const DEFAULT_MAX_MARKS = 20_000;

/** A round bin width (1, 2 or 5 times a power of ten) giving about `bins` bins over `span`. */
export function niceBinWidth(span: number, bins: number): number {
  const raw = span / bins;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Population order and the y offset of each (populations stacked from the first at the bottom). */
function stacking(data: RasterData): { names: string[]; size: Map<string, number>; known: boolean; offset: Map<string, number> } {
  const size = new Map<string, number>();
  const known = data.populations !== undefined;
  if (data.populations !== undefined) for (const p of data.populations) size.set(p.name, p.size);
  const s = data.spikes;
  for (let k = 0; k < s.population.length; k++) {
    const name = s.population[k];
    if (!known || !size.has(name)) size.set(name, Math.max(size.get(name) ?? 0, s.index[k] + 1));
  }
  for (const t of data.traces) if (!size.has(t.population)) size.set(t.population, t.index + 1);
  // only populations with spikes (or all listed in the config with spikes recorded) get rows
  const spiking = new Set(s.population);
  const names = [...size.keys()].filter((n) => spiking.has(n));
  const offset = new Map<string, number>();
  let at = 0;
  for (const n of names) {
    offset.set(n, at);
    at += size.get(n)!;
  }
  return { names, size, known, offset };
}

/**
 * Raster plot: one tick per spike (time on x, neuron on y, colour per population), with the population
 * rates underneath and, when the result has membrane traces, the traces with threshold and reset lines
 * (when the config is known). Above `maxMarks` spikes the raster becomes a density image (spikes per
 * cell), said in the title.
 */
export function rasterSpec(data: RasterData, options: RasterOptions = {}): TopLevelSpec {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const maxMarks = options.maxMarks ?? DEFAULT_MAX_MARKS;
  const { names, size, known, offset } = stacking(data);
  const s = data.spikes;
  const n = s.timeMs.length;
  const neurons = names.reduce((a, name) => a + size.get(name)!, 0);
  const T = data.durationMs;
  const xScale = { domain: [0, T], nice: false, zero: true };
  const xTitle = 'time (ms)';
  const stacked = names.length > 1;
  const yTitle = stacked ? `neuron (${names.join(', ')} stacked)` : `neuron index${names.length === 1 ? ` (${names[0]})` : ''}`;
  const popScale = { domain: names };
  const dense = n > maxMarks;

  let rasterPanel: Record<string, unknown>;
  let note = '';
  if (!dense) {
    const rows = new Array<{ p: string; i: number; y: number; t: number }>(n);
    for (let k = 0; k < n; k++) {
      const p = s.population[k];
      rows[k] = { p, i: s.index[k], y: offset.get(p)! + s.index[k], t: round(s.timeMs[k], 8) };
    }
    const tick = Math.max(2, Math.min(8, (0.8 * height) / Math.max(1, neurons)));
    rasterPanel = {
      name: 'raster',
      width,
      height,
      data: { values: rows },
      mark: { type: 'tick', orient: 'vertical', size: tick, thickness: 1.5, opacity: 1 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: xTitle, scale: xScale },
        y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [0, Math.max(1, neurons)], nice: false } },
        color: { field: 'p', type: 'nominal', title: 'population', scale: popScale },
      },
    };
  } else {
    // density image: spikes per (time bin, neuron bin) cell, counted here (not by vega) to keep big results fast
    const tBins = Math.min(200, Math.max(20, Math.round(width / 3)));
    const yBins = Math.min(Math.max(1, neurons), Math.max(20, Math.round(height / 3)));
    const dt = T / tBins;
    const dy = Math.max(1, neurons) / yBins;
    const counts = new Float64Array(tBins * yBins);
    for (let k = 0; k < n; k++) {
      const y = offset.get(s.population[k])! + s.index[k];
      const a = Math.min(tBins - 1, Math.max(0, Math.floor(s.timeMs[k] / dt)));
      const b = Math.min(yBins - 1, Math.max(0, Math.floor(y / dy)));
      counts[b * tBins + a]++;
    }
    const cells: { t0: number; t1: number; y0: number; y1: number; c: number }[] = [];
    for (let b = 0; b < yBins; b++) {
      for (let a = 0; a < tBins; a++) {
        const c = counts[b * tBins + a];
        if (c > 0) cells.push({ t0: round(a * dt), t1: round((a + 1) * dt), y0: round(b * dy), y1: round((b + 1) * dy), c });
      }
    }
    note = ` (density: ${n} spikes > ${maxMarks} marks; cells of ${round(dt, 3)} ms x ${round(dy, 3)} neurons)`;
    rasterPanel = {
      name: 'raster',
      width,
      height,
      data: { values: cells },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 't0', type: 'quantitative', title: xTitle, scale: xScale },
        x2: { field: 't1' },
        y: { field: 'y0', type: 'quantitative', title: yTitle, scale: { domain: [0, Math.max(1, neurons)], nice: false } },
        y2: { field: 'y1' },
        color: { field: 'c', type: 'quantitative', title: 'spikes per cell', scale: { scheme: 'greys' } },
      },
    };
  }

  // population rates: spikes per bin / bin width (/ size when the config gives it)
  const binMs = options.rateBinMs ?? niceBinWidth(T, 100);
  const bins = Math.max(1, Math.ceil(T / binMs));
  const perPop = new Map(names.map((name) => [name, new Float64Array(bins)]));
  for (let k = 0; k < n; k++) {
    const h = perPop.get(s.population[k]);
    if (h !== undefined) h[Math.min(bins - 1, Math.max(0, Math.floor(s.timeMs[k] / binMs)))]++;
  }
  const rateRows: { p: string; t: number; r: number }[] = [];
  for (const name of names) {
    const h = perPop.get(name)!;
    const norm = known ? 1000 / binMs / size.get(name)! : 1000 / binMs;
    for (let b = 0; b < bins; b++) rateRows.push({ p: name, t: round(b * binMs), r: round(h[b] * norm) });
    rateRows.push({ p: name, t: round(Math.min(T, bins * binMs)), r: round(h[bins - 1] * norm) });
  }
  const ratePanel = {
    name: 'rate',
    width,
    height: Math.round(height * 0.4),
    data: { values: rateRows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: `time (ms), rate in ${binMs} ms bins`, scale: xScale },
      y: { field: 'r', type: 'quantitative', title: known ? 'rate (Hz/neuron)' : 'rate (spikes/s)' },
      color: { field: 'p', type: 'nominal', title: 'population', scale: popScale },
    },
  };

  const panels: Record<string, unknown>[] = [rasterPanel, ratePanel];
  if (data.traces.length > 0) panels.push(tracePanel(data, width, Math.round(height * 0.6), xScale, maxMarks));
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(`Spikes of ${names.join(', ') || 'no population'}: ${n} spikes in ${T} ms${note}`, options),
    vconcat: panels,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
    config: figureConfig(),
  });
}

function tracePanel(data: RasterData, width: number, height: number, xScale: object, maxMarks: number): Record<string, unknown> {
  const total = data.traces.reduce((a, t) => a + t.vMv.length, 0);
  const stride = Math.max(1, Math.ceil(total / maxMarks));
  const rows: { n: string; t: number; v: number }[] = [];
  for (const tr of data.traces) {
    const label = `${tr.population} ${tr.index}`;
    for (let k = 0; k < tr.vMv.length; k += stride) rows.push({ n: label, t: round(k * tr.dtMs, 8), v: round(tr.vMv[k]) });
  }
  // threshold and reset of the traced neurons, from the config (distinct values only)
  const levels = new Map<string, { what: string; v: number }>();
  for (const tr of data.traces) {
    const p = data.populations?.find((q) => q.name === tr.population);
    const th = p?.vThreshMv?.[tr.index];
    const re = p?.vResetMv?.[tr.index];
    if (th !== undefined) levels.set(`threshold ${th}`, { what: `threshold ${round(th, 4)} mV`, v: th });
    if (re !== undefined) levels.set(`reset ${re}`, { what: `reset ${round(re, 4)} mV`, v: re });
  }
  const layers: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.2, clip: true },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (ms)', scale: xScale },
        y: { field: 'v', type: 'quantitative', title: 'membrane potential (mV)', scale: { zero: false } },
        color: { field: 'n', type: 'nominal', title: 'trace', scale: { range: ['#222222', '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'] } },
      },
    },
  ];
  if (levels.size > 0) {
    // named in the legend (threshold dashed, reset dotted), not on the plot where traces would cross the text
    const values = [...levels.values()];
    layers.push({
      data: { values },
      mark: { type: 'rule', color: '#555', strokeWidth: 1.2 },
      encoding: {
        y: { field: 'v', type: 'quantitative' },
        strokeDash: {
          field: 'what',
          type: 'nominal',
          title: 'level',
          scale: { domain: values.map((l) => l.what), range: values.map((l) => (l.what.startsWith('threshold') ? [6, 3] : [2, 2])) },
        },
      },
    });
  }
  return {
    name: 'traces',
    width,
    height,
    title: stride > 1 ? { text: `every ${stride}th sample of ${total}`, fontSize: 11, fontWeight: 'normal' } : undefined,
    layer: layers,
  };
}
