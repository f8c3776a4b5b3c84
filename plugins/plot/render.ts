import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec headless: vega-lite compiles it to Vega, a vega View with no renderer draws it
 * with `view.toSVG()` (no browser, no canvas; text widths are vega's estimate), and resvg rasterises the
 * SVG to PNG with the DejaVu Sans files of the `dejavu-fonts-ttf` package (system fonts are not loaded,
 * so the bytes do not depend on the machine). The same spec gives the same bytes.
 */

/** The font every figure names (plugins/plot/theme.ts) and the PNG renderer loads. */
export const FIGURE_FONT = 'DejaVu Sans';

export type FigureFormat = 'svg' | 'png';

/** The format named by a file name's extension (.svg or .png, any case), or null. */
export function formatOfPath(path: string): FigureFormat | null {
  const m = /\.(svg|png)$/i.exec(path);
  return m === null ? null : (m[1].toLowerCase() as FigureFormat);
}

/** The spec as SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(spec).spec;
  // clip-path and gradient ids come from counters global to the process: reset them, so the same spec gives the same text
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(dir, f));
}

/** SVG text as PNG bytes, `scale` device pixels per SVG unit (2 gives sharp text on screens and in docs). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FIGURE_FONT, sansSerifFamily: FIGURE_FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The spec rendered in `format`: SVG text or PNG bytes. */
export async function renderFigure(spec: TopLevelSpec, format: FigureFormat, scale = 2): Promise<string | Uint8Array> {
  const svg = await renderSvg(spec);
  return format === 'svg' ? svg : svgToPng(svg, scale);
}
