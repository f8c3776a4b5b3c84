import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/config/configError.ts';
import { getSubstrate, substrateNames } from '../../core/substrate/registry.ts';
import { PRESETS, type Preset } from '../learning/presets.ts';
import { ajvError, checkFinite, compileSchema } from '../learning/modelFile.ts';

/** What is trained and how it is tested at each point (docs/sweeps.md). */
export const SWEEP_MODES = ['ideal-trained', 'in-the-loop', 'other-chip'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** One axis: values of one substrate option, or labelled values of several options changed together (zip). */
export interface SweepAxis {
  /** The option name (single-option axis) or a label (zip axis); the key of the axis in each point. */
  readonly name: string;
  /** The values of the option, or the labels of a zip axis (what a plot puts on its x axis). */
  readonly values: readonly (number | string | boolean | null)[];
  /** Zip axis: per option, its values, as many as `values`; the k-th point sets every option to its k-th value. */
  readonly zip?: Readonly<Record<string, readonly unknown[]>>;
}

/** A sweep specification (the JSON file given to `firstspike sweep`). */
export interface SweepSpec {
  readonly preset: string;
  readonly epochs: number;
  readonly seeds: readonly number[];
  readonly substrate: { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };
  readonly modes: readonly SweepMode[];
  readonly axes: readonly SweepAxis[];
  /** `product`: every combination of axis values (default); `each`: one axis at a time, the others at the base options. */
  readonly combine?: 'product' | 'each';
  /** Use only the first N training samples (quick sweeps); default all. */
  readonly trainSamples?: number;
  /** Test on the first N test samples; default all. */
  readonly testSamples?: number;
  /** `other-chip` tests on chip seed chipSeed + otherChipOffset. Default 1000. */
  readonly otherChipOffset?: number;
  /** Free text, kept in the results. */
  readonly description?: string;
}

/** Largest number of jobs a spec may ask for (a larger sweep is split into several specs). */
export const MAX_SWEEP_JOBS = 100_000;

const VALUE = { type: ['number', 'string', 'boolean', 'null'] };

export const SWEEP_SPEC_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['preset', 'epochs', 'seeds', 'substrate', 'modes', 'axes'],
  properties: {
    description: { type: 'string' },
    preset: { type: 'string', minLength: 1 },
    epochs: { type: 'integer', minimum: 1, maximum: 100000 },
    seeds: { type: 'array', minItems: 1, maxItems: 10000, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 2147483647 } },
    substrate: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, options: { type: 'object' } },
    },
    modes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SWEEP_MODES] } },
    axes: {
      type: 'array',
      minItems: 1,
      maxItems: 32,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'values'],
        properties: {
          name: { type: 'string', minLength: 1 },
          values: { type: 'array', minItems: 1, maxItems: 10000, items: VALUE },
          zip: { type: 'object', minProperties: 1, additionalProperties: { type: 'array' } },
        },
      },
    },
    combine: { enum: ['product', 'each'] },
    trainSamples: { type: 'integer', minimum: 1 },
    testSamples: { type: 'integer', minimum: 1 },
    otherChipOffset: { type: 'integer', minimum: 1, maximum: 2147483647 },
  },
} as const;

/** A spec problem: the JSON pointer in the spec and the reason. */
export class SpecError extends Error {
  constructor(
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`${pointer}: ${reason}`);
  }
}

/** JSON with object keys sorted at every level: the same text for the same content (hashes, job keys). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON of `value`, hex, first `length` characters. */
export function contentHash(value: unknown, length = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** The spec's hash: identifies the sweep (results of different specs are never merged). */
export function specHash(spec: SweepSpec): string {
  return contentHash(spec);
}

/** The points of a spec: for each, the axis values (point) and the substrate options they set. */
export interface SweepPoint {
  /** Axis name -> value (with combine `each`: only the axis varied). */
  readonly point: Readonly<Record<string, unknown>>;
  /** With combine `each`: the axis varied; null for `product`. */
  readonly axis: string | null;
  /** The substrate options of the point: the base options with the axes' options set. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The option assignments of value k of an axis. */
function axisOptions(axis: SweepAxis, k: number): Record<string, unknown> {
  if (axis.zip === undefined) return { [axis.name]: axis.values[k] };
  const out: Record<string, unknown> = {};
  for (const [option, values] of Object.entries(axis.zip)) out[option] = values[k];
  return out;
}

/** Expands the axes into points, in a fixed order (the first axis varies slowest). */
export function expandPoints(spec: SweepSpec): SweepPoint[] {
  const base = spec.substrate.options ?? {};
  const out: SweepPoint[] = [];
  if ((spec.combine ?? 'product') === 'each') {
    for (const axis of spec.axes) {
      axis.values.forEach((value, k) => {
        out.push({ point: { [axis.name]: value }, axis: axis.name, options: { ...base, ...axisOptions(axis, k) } });
      });
    }
    return out;
  }
  const walk = (a: number, point: Record<string, unknown>, options: Record<string, unknown>): void => {
    if (a === spec.axes.length) {
      out.push({ point, axis: null, options });
      return;
    }
    const axis = spec.axes[a];
    axis.values.forEach((value, k) => walk(a + 1, { ...point, [axis.name]: value }, { ...options, ...axisOptions(axis, k) }));
  };
  walk(0, {}, { ...base });
  return out;
}

/** Number of points of a spec, without expanding it. */
export function pointCount(spec: Pick<SweepSpec, 'axes' | 'combine'>): number {
  if ((spec.combine ?? 'product') === 'each') return spec.axes.reduce((a, x) => a + x.values.length, 0);
  return spec.axes.reduce((a, x) => a * x.values.length, 1);
}

/** Whether the substrate takes a `chipSeed` option (needed for `other-chip`, and set from the seed). */
export function takesChipSeed(substrateName: string): boolean {
  try {
    getSubstrate(substrateName).validateOptions({ chipSeed: 0 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a parsed spec document: the schema (ajv), then what a schema cannot say (known preset and
 * substrate, option names and values of every point as the substrate checks them, zip lengths, size).
 * Throws a SpecError naming the JSON pointer of the first problem.
 */
export function checkSweepSpec(doc: unknown): SweepSpec {
  try {
    checkFinite(doc, '/');
  } catch (error) {
    if (error instanceof ConfigError) throw new SpecError(error.path, error.reason);
    throw error;
  }
  const validate = compileSchema(SWEEP_SPEC_SCHEMA);
  if (!validate(doc)) {
    const e = ajvError(validate.errors, '/');
    throw new SpecError(e.path, e.reason);
  }
  const spec = doc as SweepSpec;
  if (!Object.hasOwn(PRESETS, spec.preset)) {
    throw new SpecError('/preset', `unknown preset '${spec.preset}' (known: ${Object.keys(PRESETS).sort().join(', ')})`);
  }
  if (!substrateNames().includes(spec.substrate.name)) {
    throw new SpecError('/substrate/name', `unknown substrate '${spec.substrate.name}' (known: ${substrateNames().join(', ')})`);
  }
  const substrate = getSubstrate(spec.substrate.name);
  const names = new Set<string>();
  spec.axes.forEach((axis, a) => {
    if (names.has(axis.name)) throw new SpecError(`/axes/${a}/name`, `axis '${axis.name}' appears twice`);
    names.add(axis.name);
    if (axis.zip !== undefined) {
      for (const [option, values] of Object.entries(axis.zip)) {
        if (values.length !== axis.values.length) {
          throw new SpecError(`/axes/${a}/zip/${option}`, `must have as many values as /axes/${a}/values (${axis.values.length}; got ${values.length})`);
        }
      }
    }
  });
  const chip = takesChipSeed(spec.substrate.name);
  if (spec.modes.includes('other-chip') && !chip) {
    throw new SpecError('/modes', `'other-chip' needs a substrate with a chipSeed option ('${spec.substrate.name}' has none)`);
  }
  const jobs = pointCount(spec) * spec.seeds.length;
  if (jobs > MAX_SWEEP_JOBS) {
    throw new SpecError('/axes', `${pointCount(spec)} points x ${spec.seeds.length} seeds = ${jobs} jobs, more than ${MAX_SWEEP_JOBS}; split the sweep`);
  }
  // every point's options, as the substrate checks them (the first bad value is named by its axis)
  try {
    substrate.validateOptions(spec.substrate.options ?? {});
  } catch (error) {
    throw new SpecError('/substrate/options', error instanceof Error ? error.message : String(error));
  }
  const base = spec.substrate.options ?? {};
  spec.axes.forEach((axis, a) => {
    axis.values.forEach((_, k) => {
      try {
        substrate.validateOptions({ ...base, ...axisOptions(axis, k) });
      } catch (error) {
        const at = axis.zip === undefined ? `/axes/${a}/values/${k}` : `/axes/${a}/zip`;
        throw new SpecError(at, error instanceof Error ? error.message : String(error));
      }
    });
  });
  if ((spec.combine ?? 'product') === 'product') {
    for (const p of expandPoints(spec)) {
      try {
        substrate.validateOptions(p.options);
      } catch (error) {
        throw new SpecError('/axes', `the point ${JSON.stringify(p.point)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return spec;
}

/** The preset a checked spec names. */
export function specPreset(spec: SweepSpec): Preset {
  return PRESETS[spec.preset];
}
