import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_FONT } from './render.ts';

/** Options every figure takes: the title (replacing the default one) and the size of each panel's plot area (px). */
export interface FigureOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Categorical colours: Okabe & Ito's colour-blind-safe palette (Okabe, Ito 2008, "Color Universal
 * Design"), in an order whose neighbours differ in lightness as well as hue.
 */
export const CATEGORY_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** The config block shared by all figures: one font, legible sizes, white background. */
export function figureConfig() {
  return {
    font: FIGURE_FONT,
    background: 'white',
    title: { fontSize: 14, font: FIGURE_FONT, anchor: 'start' as const, offset: 10 },
    axis: { labelFontSize: 11, titleFontSize: 12, labelFont: FIGURE_FONT, titleFont: FIGURE_FONT, titleFontWeight: 'normal' as const },
    legend: { labelFontSize: 11, titleFontSize: 12, labelFont: FIGURE_FONT, titleFont: FIGURE_FONT, titleFontWeight: 'normal' as const },
    header: { labelFontSize: 12, titleFontSize: 12, labelFont: FIGURE_FONT, titleFont: FIGURE_FONT },
    range: { category: CATEGORY_COLOURS },
    view: { stroke: '#888' },
  };
}

/** Title text, or lines (an array) for a subtitle-like second line. */
export function figureTitle(defaultTitle: string | readonly string[], options: FigureOptions): { text: string | string[] } {
  const t = options.title ?? defaultTitle;
  return { text: typeof t === 'string' ? t : [...t] };
}

/** Rounds for data values written into specs, so that the SVG text stays short and stable. */
export function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits));
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}

/**
 * The figures build their specs as plain objects (data-dependent layers); vega-lite's compile checks them
 * when rendered, and every figure is rendered in test/plot.test.ts.
 */
export function asSpec(spec: object): TopLevelSpec {
  return spec as TopLevelSpec;
}
