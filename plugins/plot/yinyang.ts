import type { TopLevelSpec } from 'vega-lite';
import { asSpec, figureConfig, figureTitle, round, type FigureOptions } from './theme.ts';

/** The model's answers on the Yin-Yang plane: test points and a grid of cells over [0, 1]^2. */
export interface YinYangMapData {
  readonly classNames: readonly string[];
  /** Test points: coordinates, true and predicted class (-1 = no output spike). */
  readonly points: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number>; readonly label: ArrayLike<number>; readonly predicted: ArrayLike<number> };
  /** Grid of `resolution`^2 cell centres, row-major from (0, 0). */
  readonly grid: {
    readonly resolution: number;
    readonly x: ArrayLike<number>;
    readonly y: ArrayLike<number>;
    readonly predicted: ArrayLike<number>;
    /** First-spike time of output neuron k at cell c: outputTimes[c * classes + k] (tau_syn units, Infinity = none). */
    readonly outputTimes: ArrayLike<number>;
  };
  /** What the model is, for the title (e.g. "yinyang-model.json on ideal"). */
  readonly what: string;
}

/**
 * The Yin-Yang decision map: left, the plane coloured (pale) by the predicted class with the test points
 * on it, coloured by predicted class and errors crossed; right, one panel per output neuron with the plane
 * coloured by that neuron's first-spike time (earliest spike wins, so the panels show how the network decides).
 */
export function yinYangSpec(d: YinYangMapData, options: FigureOptions = {}): TopLevelSpec {
  const size = options.width ?? 240;
  const hsize = options.height ?? size;
  const C = d.classNames.length;
  const g = d.grid;
  const h = 0.5 / g.resolution;
  const names = [...d.classNames, 'none'];
  const nameOf = (k: number) => (k < 0 ? 'none' : d.classNames[k]);
  const cells: { x0: number; x1: number; y0: number; y1: number; p: string }[] = [];
  const times: { x0: number; x1: number; y0: number; y1: number; neuron: string; t: number | null }[] = [];
  let tMax = 0;
  for (let c = 0; c < g.x.length; c++) {
    const box = { x0: round(g.x[c] - h), x1: round(g.x[c] + h), y0: round(g.y[c] - h), y1: round(g.y[c] + h) };
    cells.push({ ...box, p: nameOf(g.predicted[c]) });
    for (let k = 0; k < C; k++) {
      const t = g.outputTimes[c * C + k];
      if (Number.isFinite(t)) tMax = Math.max(tMax, t);
      times.push({ ...box, neuron: `output neuron ${k} (${d.classNames[k]})`, t: Number.isFinite(t) ? round(t, 4) : null });
    }
  }
  const pts: { x: number; y: number; label: string; p: string; error: string | null }[] = [];
  let errors = 0;
  for (let s = 0; s < d.points.x.length; s++) {
    const wrong = d.points.predicted[s] !== d.points.label[s];
    if (wrong) errors++;
    pts.push({ x: round(d.points.x[s]), y: round(d.points.y[s]), label: nameOf(d.points.label[s]), p: nameOf(d.points.predicted[s]), error: wrong ? 'misclassified' : null });
  }
  const unit = { scale: { domain: [0, 1], nice: false } };
  const xq = (title: string) => ({ field: 'x0', type: 'quantitative', title, ...unit });
  const classColour = {
    field: 'p',
    type: 'nominal',
    title: 'predicted class',
    scale: { domain: names, range: ['#0072B2', '#E69F00', '#009E73', '#999999'] },
    legend: { orient: 'bottom', direction: 'horizontal' },
  };
  const decision = {
    width: size,
    height: hsize,
    title: { text: 'points by predicted class', fontSize: 12, fontWeight: 'normal' },
    layer: [
      {
        name: 'regions',
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.3 },
        encoding: { x: xq('x (input feature 1)'), x2: { field: 'x1' }, y: { field: 'y0', type: 'quantitative', title: 'y (input feature 2)', ...unit }, y2: { field: 'y1' }, color: classColour },
      },
      {
        name: 'points',
        data: { values: pts },
        mark: { type: 'circle', size: 14, opacity: 0.95, stroke: 'white', strokeWidth: 0.3 },
        encoding: { x: { field: 'x', type: 'quantitative', ...unit }, y: { field: 'y', type: 'quantitative', ...unit }, color: classColour },
      },
      {
        name: 'errors',
        data: { values: pts.filter((p) => p.error !== null) },
        mark: { type: 'point', shape: 'cross', size: 45, filled: true, color: 'black', angle: 45 },
        encoding: {
          x: { field: 'x', type: 'quantitative', ...unit },
          y: { field: 'y', type: 'quantitative', ...unit },
          shape: { field: 'error', type: 'nominal', title: null, scale: { range: ['cross'] }, legend: { orient: 'bottom' } },
        },
      },
    ],
  };
  const heat = {
    data: { values: times },
    facet: { column: { field: 'neuron', type: 'nominal', title: null, sort: d.classNames.map((n, k) => `output neuron ${k} (${n})`) } },
    spec: {
      width: size,
      height: hsize,
      // cells without an output spike have no colour value and are not drawn: the grey background shows
      view: { fill: '#dddddd' },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            x: xq('x (input feature 1)'),
            x2: { field: 'x1' },
            y: { field: 'y0', type: 'quantitative', title: 'y (input feature 2)', ...unit },
            y2: { field: 'y1' },
            color: {
              condition: { test: 'datum.t === null', value: '#dddddd' },
              field: 't',
              type: 'quantitative',
              title: ['first-spike', 'time (τ_syn)'],
              scale: { scheme: 'viridis', reverse: true, domain: [0, round(tMax, 3)] },
            },
          },
        },
      ],
    },
  };
  const accuracy = d.points.x.length === 0 ? 0 : 1 - errors / d.points.x.length;
  return asSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figureTitle(
      [
        `Yin-Yang decision map of ${d.what}: accuracy ${(100 * accuracy).toFixed(2)}% (${errors} errors of ${d.points.x.length} points)`,
        `right: first-spike time of each output neuron over the plane (earliest wins; grey = no spike; ${g.resolution}x${g.resolution} cells)`,
      ],
      options,
    ),
    hconcat: [decision, heat],
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: { ...figureConfig(), title: { ...figureConfig().title, subtitleFontSize: 11 } },
  });
}
