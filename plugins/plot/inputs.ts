import type { RasterData } from './raster.ts';

/**
 * Reading the files the plot commands take. Each reader checks the document is of the kind it expects and
 * throws PlotInputError with one line naming what it expected (the CLI prefixes the file's path).
 */
export class PlotInputError extends Error {}

/** Parses JSON text, or throws naming what was expected. */
export function parseJson(text: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PlotInputError(`not JSON (expected ${expected})`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function numbers(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || !x.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new PlotInputError(`${what} must be an array of numbers`);
  return x as number[];
}

/** A guess at what a document is, for the "got" part of a wrong-kind message. */
function kindOf(doc: unknown): string {
  if (!isObject(doc)) return Array.isArray(doc) ? 'a JSON array' : `a JSON ${doc === null ? 'null' : typeof doc}`;
  if (typeof doc.format === 'string') return `a '${doc.format}' document`;
  if (isObject(doc.confusion)) return "an 'evaluate --json' document";
  if (Array.isArray(doc.rows) && Array.isArray(doc.axes)) return 'sweep results';
  if (Array.isArray(doc.populations)) return 'a network config';
  return 'a JSON object of another kind';
}

export const SIMULATION_EXPECTED = "a simulation result (format 'firstspike.simulation', written by 'firstspike simulate')";

/** A `firstspike simulate` JSON result. */
export function rasterDataFromDocument(doc: unknown): RasterData {
  if (!isObject(doc) || doc.format !== 'firstspike.simulation') throw new PlotInputError(`expected ${SIMULATION_EXPECTED}, got ${kindOf(doc)}`);
  const d = doc.duration_ms;
  if (typeof d !== 'number' || !(d > 0) || !Number.isFinite(d)) throw new PlotInputError("'duration_ms' must be a positive number");
  const s = doc.spikes;
  if (!isObject(s)) throw new PlotInputError("'spikes' must be an object of columns population, index, time_ms");
  const population = s.population;
  if (!Array.isArray(population) || !population.every((p) => typeof p === 'string')) throw new PlotInputError("'spikes.population' must be an array of names");
  const index = numbers(s.index, "'spikes.index'");
  const timeMs = numbers(s.time_ms, "'spikes.time_ms'");
  if (index.length !== population.length || timeMs.length !== population.length) {
    throw new PlotInputError(`'spikes' columns differ in length (${population.length}, ${index.length}, ${timeMs.length})`);
  }
  if (!index.every((i) => Number.isInteger(i) && i >= 0)) throw new PlotInputError("'spikes.index' must hold whole numbers >= 0");
  const tracesIn = doc.traces ?? [];
  if (!Array.isArray(tracesIn)) throw new PlotInputError("'traces' must be an array");
  const traces = tracesIn.map((t, k) => {
    if (!isObject(t) || typeof t.population !== 'string' || typeof t.index !== 'number' || typeof t.dt_ms !== 'number' || !(t.dt_ms > 0)) {
      throw new PlotInputError(`'traces[${k}]' must have population, index, dt_ms > 0 and v_mv`);
    }
    return { population: t.population, index: t.index, dtMs: t.dt_ms, vMv: numbers(t.v_mv, `'traces[${k}].v_mv'`) };
  });
  return { durationMs: d, spikes: { population: population as string[], index, timeMs }, traces };
}

/** The confusion-matrix part of an `evaluate --json` document. */
export interface EvaluationData {
  readonly model: string;
  readonly substrate: string;
  /** The substrate's options as JSON text ('' for none). */
  readonly substrateOptions: string;
  readonly split: string;
  readonly samples: number;
  readonly accuracy: number;
  /** Row names (true classes). */
  readonly classes: readonly string[];
  /** Column names (predicted classes, then "none" for no output spike). */
  readonly columns: readonly string[];
  /** counts[true][predicted]. */
  readonly matrix: readonly (readonly number[])[];
}

export const EVALUATION_EXPECTED = "the output of 'firstspike evaluate --json' (an object with 'confusion' and 'accuracy')";

export function evaluationFromDocument(doc: unknown): EvaluationData {
  if (!isObject(doc) || !isObject(doc.confusion) || typeof doc.accuracy !== 'number') {
    throw new PlotInputError(`expected ${EVALUATION_EXPECTED}, got ${kindOf(doc)}`);
  }
  const c = doc.confusion;
  const classes = c.classes;
  const columns = c.columns;
  if (!Array.isArray(classes) || !classes.every((x) => typeof x === 'string') || classes.length === 0) {
    throw new PlotInputError("'confusion.classes' must be a non-empty array of names");
  }
  if (!Array.isArray(columns) || !columns.every((x) => typeof x === 'string')) throw new PlotInputError("'confusion.columns' must be an array of names");
  if (!Array.isArray(c.matrix) || c.matrix.length !== classes.length) throw new PlotInputError(`'confusion.matrix' must have ${classes.length} rows`);
  const matrix = c.matrix.map((row, k) => {
    const r = numbers(row, `'confusion.matrix[${k}]'`);
    if (r.length !== columns.length) throw new PlotInputError(`'confusion.matrix[${k}]' must have ${columns.length} entries`);
    if (!r.every((x) => Number.isInteger(x) && x >= 0)) throw new PlotInputError(`'confusion.matrix[${k}]' must hold counts (whole numbers >= 0)`);
    return r;
  });
  const samples = matrix.flat().reduce((a, b) => a + b, 0);
  return {
    model: typeof doc.model === 'string' ? doc.model : '',
    substrate: typeof doc.substrate === 'string' ? doc.substrate : '',
    substrateOptions: isObject(doc.substrate_options) && Object.keys(doc.substrate_options).length > 0 ? JSON.stringify(doc.substrate_options) : '',
    split: typeof doc.split === 'string' ? doc.split : '',
    samples,
    accuracy: doc.accuracy,
    classes: classes as string[],
    columns: columns as string[],
    matrix,
  };
}

/** One row of sweep results (the contract shared with `firstspike sweep`). */
export interface SweepRow {
  readonly point: Readonly<Record<string, number | string>>;
  readonly mode: string;
  readonly seed: number;
  readonly test_accuracy: number;
}

export interface SweepResults {
  readonly spec_hash: string;
  readonly axes: readonly string[];
  readonly rows: readonly SweepRow[];
}

export const SWEEP_EXPECTED = "sweep results ({\"spec_hash\", \"axes\", \"rows\"} as written by 'firstspike sweep')";

export function sweepFromDocument(doc: unknown): SweepResults {
  if (!isObject(doc) || typeof doc.spec_hash !== 'string' || !Array.isArray(doc.axes) || !Array.isArray(doc.rows)) {
    throw new PlotInputError(`expected ${SWEEP_EXPECTED}, got ${kindOf(doc)}`);
  }
  if (!doc.axes.every((a) => typeof a === 'string') || doc.axes.length === 0) throw new PlotInputError("'axes' must be a non-empty array of names");
  const rows = doc.rows.map((r, k) => {
    if (!isObject(r) || !isObject(r.point) || typeof r.mode !== 'string' || typeof r.seed !== 'number' || typeof r.test_accuracy !== 'number') {
      throw new PlotInputError(`'rows[${k}]' must have point (object), mode (string), seed and test_accuracy (numbers)`);
    }
    if (!(r.test_accuracy >= 0 && r.test_accuracy <= 1)) throw new PlotInputError(`'rows[${k}].test_accuracy' must be a fraction in [0, 1]`);
    for (const [a, v] of Object.entries(r.point)) {
      if (typeof v !== 'number' && typeof v !== 'string') throw new PlotInputError(`'rows[${k}].point.${a}' must be a number or a string`);
    }
    return { point: r.point as Record<string, number | string>, mode: r.mode, seed: r.seed, test_accuracy: r.test_accuracy };
  });
  return { spec_hash: doc.spec_hash, axes: doc.axes as string[], rows };
}
