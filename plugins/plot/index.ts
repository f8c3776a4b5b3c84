/**
 * The plot plugin's library API: each figure is a pure function from data to a Vega-Lite spec; `render*`
 * turn a spec into SVG (vega, headless) or PNG (resvg). See docs/plotting.md.
 */
export { confusionSpec } from './confusion.ts';
export {
  EVALUATION_EXPECTED,
  PlotInputError,
  SIMULATION_EXPECTED,
  SWEEP_EXPECTED,
  evaluationFromDocument,
  parseJson,
  rasterDataFromDocument,
  sweepFromDocument,
  type EvaluationData,
  type SweepResults,
  type SweepRow,
} from './inputs.ts';
export { encodeGrid, forwardSet, yinYangGrid, type ModelRun, type SetTimes } from './probe.ts';
export { DEFAULT_MAX_MARKS, niceBinWidth, rasterSpec, type RasterData, type RasterOptions, type RasterPopulation } from './raster.ts';
export { FIGURE_FONT, formatOfPath, renderFigure, renderSvg, svgToPng, type FigureFormat } from './render.ts';
export { layerSpikesSpec, type LayerSpikesData } from './spikes.ts';
export { sweepSpec, sweepSummary, type SweepOptions } from './sweep.ts';
export { CATEGORY_COLOURS, figureConfig, type FigureOptions } from './theme.ts';
export { runLabels, trainingSpec, type TrainingRun } from './training.ts';
export { yinYangSpec, type YinYangMapData } from './yinyang.ts';
