import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError, jsonPointer } from '../../core/config/configError.ts';
import { writeFileAtomic } from '../../core/io/atomicWrite.ts';
import {
  MAX_ABS_CURRENT_NA,
  MAX_ABS_POTENTIAL_MV,
  MAX_CAPACITANCE_NF,
  MAX_REFRACTORY_MS,
  MAX_TIME_CONSTANT_MS,
  MIN_CAPACITANCE_NF,
  MIN_TIME_CONSTANT_MS,
} from '../../core/config/magnitudes.ts';
import { describeType, describeValue, parseConfigText } from '../../core/config/loadConfig.ts';
import { LIF_PARAM_FIELDS, type LifParams } from '../../core/lif/params.ts';
import { presynapticCount, type LayeredModel } from './model.ts';
import { PRESETS } from './presets.ts';

/**
 * The model file: a trained `LayeredModel` as versioned JSON, with where it came from.
 *
 *     {"format": "firstspike.model", "version": 1, "preset": "yinyang",
 *      "layer_sizes": [5, 120, 3], "bias_times": [null, 0.9], "neuron": {<LifParams>},
 *      "weights": [[...], [...]],            one flat array per weight layer, row-major by presynaptic neuron
 *      "training": {"seed": 0, "epochs_done": 30, "substrate": "ideal", "substrate_options": {}, ...}}
 *
 * Numbers are written with JavaScript's shortest round-trip formatting, so every double reads back exactly.
 */
export const MODEL_FORMAT = 'firstspike.model';
export const MODEL_VERSION = 1;

/** How a model was trained (the `training` record of the file, camelCase here, snake_case in JSON). */
export interface TrainingRecord {
  readonly seed: number;
  readonly epochsDone: number;
  readonly substrate: string;
  readonly substrateOptions: Readonly<Record<string, unknown>>;
  /** Validation accuracy of the weights in the file (after the last or the selected epoch; null if none). */
  readonly validationAccuracy: number | null;
  /** The epoch whose weights the file holds, when selected on validation accuracy (keepBest); else absent. */
  readonly selectedEpoch?: number;
  /** Test accuracy of the final model (null if not measured). */
  readonly testAccuracy?: number | null;
  /** Number of training samples used (the first N of the training split), null for all. */
  readonly trainSamples?: number | null;
  /** Directory of MNIST IDX files, null for the built-in data. */
  readonly dataDir?: string | null;
  /** Wall-clock seconds of training. */
  readonly seconds?: number;
}

/** Everything in a model file besides the model itself. */
export interface ModelMeta {
  readonly preset: string;
  readonly training: TrainingRecord;
}

// ---------------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------------

const NEURON_SCHEMA = {
  type: 'object',
  required: [...LIF_PARAM_FIELDS],
  additionalProperties: false,
  properties: {
    // the magnitude bounds of configs (core/config/magnitudes.ts): beyond them the exact solution overflows
    tauMemMs: { type: 'number', minimum: MIN_TIME_CONSTANT_MS, maximum: MAX_TIME_CONSTANT_MS },
    tauSynExcMs: { type: 'number', minimum: MIN_TIME_CONSTANT_MS, maximum: MAX_TIME_CONSTANT_MS },
    tauSynInhMs: { type: 'number', minimum: MIN_TIME_CONSTANT_MS, maximum: MAX_TIME_CONSTANT_MS },
    capacitanceNf: { type: 'number', minimum: MIN_CAPACITANCE_NF, maximum: MAX_CAPACITANCE_NF },
    vRestMv: { type: 'number', minimum: -MAX_ABS_POTENTIAL_MV, maximum: MAX_ABS_POTENTIAL_MV },
    vResetMv: { type: 'number', minimum: -MAX_ABS_POTENTIAL_MV, maximum: MAX_ABS_POTENTIAL_MV },
    vThreshMv: { type: 'number', minimum: -MAX_ABS_POTENTIAL_MV, maximum: MAX_ABS_POTENTIAL_MV },
    tauRefracMs: { type: 'number', minimum: 0, maximum: MAX_REFRACTORY_MS },
    iOffsetNa: { type: 'number', minimum: -MAX_ABS_CURRENT_NA, maximum: MAX_ABS_CURRENT_NA },
  },
} as const;

/** JSON Schema (draft-07) of a model file. `format` and `version` are checked before it. */
export const MODEL_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'firstspike model file',
  type: 'object',
  required: ['format', 'version', 'preset', 'layer_sizes', 'bias_times', 'neuron', 'weights', 'training'],
  additionalProperties: false,
  properties: {
    format: { const: MODEL_FORMAT },
    version: { const: MODEL_VERSION },
    preset: { type: 'string', minLength: 1 },
    layer_sizes: { type: 'array', minItems: 2, items: { type: 'integer', minimum: 1 } },
    // a bias spike time is a time within the trial: >= 0
    bias_times: { type: 'array', items: { type: ['number', 'null'], minimum: 0, maximum: MAX_TIME_CONSTANT_MS } },
    neuron: NEURON_SCHEMA,
    weights: {
      type: 'array',
      items: { type: 'array', items: { type: 'number', minimum: -MAX_ABS_CURRENT_NA, maximum: MAX_ABS_CURRENT_NA } },
    },
    training: {
      type: 'object',
      required: ['seed', 'epochs_done', 'substrate', 'substrate_options', 'validation_accuracy'],
      // later versions of the trainer may record more: unknown keys are kept out of the way, not rejected
      additionalProperties: true,
      properties: {
        seed: { type: 'integer' },
        epochs_done: { type: 'integer', minimum: 0 },
        substrate: { type: 'string', minLength: 1 },
        substrate_options: { type: 'object' },
        validation_accuracy: { type: ['number', 'null'], minimum: 0, maximum: 1 },
        test_accuracy: { type: ['number', 'null'], minimum: 0, maximum: 1 },
        train_samples: { type: ['integer', 'null'], minimum: 1 },
        data_dir: { type: ['string', 'null'] },
        seconds: { type: 'number', minimum: 0 },
        selected_epoch: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

const validators = new Map<object, ValidateFunction>();

/** A compiled validator of `schema` (compiled once). */
export function compileSchema(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (v === undefined) {
    const ajv = new Ajv({ allErrors: false, verbose: true, allowUnionTypes: true, strict: true });
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v;
}



/** Prefixes a JSON pointer with `base` (`/` is the root). */
export function underPointer(base: string, pointer: string): string {
  const b = base === '/' ? '' : base;
  const p = pointer === '/' ? '' : pointer;
  return b + p === '' ? '/' : b + p;
}

/** Translates ajv's first error into a ConfigError `<JSON path>: <reason>` (path under `base`). */
export function ajvError(errors: readonly ErrorObject[] | null | undefined, base: string): ConfigError {
  const e = errors?.[0];
  if (e === undefined) return new ConfigError(base, 'does not match the schema');
  const path = underPointer(base, e.instancePath === '' ? '/' : e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return new ConfigError(path, `missing required property '${String(p.missingProperty)}'`);
    case 'additionalProperties': {
      const allowed = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      return new ConfigError(path, `unknown property '${String(p.additionalProperty)}' (allowed: ${allowed.join(', ')})`);
    }
    case 'type':
      return new ConfigError(path, `must be ${describeType(String(p.type))} (got ${describeValue(e.data)})`);
    case 'const':
      return new ConfigError(path, `must be ${JSON.stringify(p.allowedValue)} (got ${describeValue(e.data)})`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return new ConfigError(path, `must be ${String(p.comparison)} ${String(p.limit)} (got ${describeValue(e.data)})`);
    case 'minItems':
      return new ConfigError(path, `must have at least ${String(p.limit)} entries`);
    case 'minLength':
      return new ConfigError(path, 'must not be empty');
    default:
      return new ConfigError(path, e.message ?? `fails '${e.keyword}'`);
  }
}

/**
 * Rejects non-finite numbers anywhere in a parsed document. JSON has no NaN or Infinity, but a literal
 * too large for a double (e.g. 1e400) parses to Infinity.
 */
export function checkFinite(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ConfigError(path, `must be a finite number (got ${value}: the value overflows a double)`);
    }
  } else if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) checkFinite(value[k], underPointer(path, `/${k}`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkFinite(item, underPointer(path, jsonPointer(key)));
  }
}

/** Checks `format` and `version` first, so that a file of another kind or version gets that message. */
export function checkFormat(doc: unknown, base: string, format: string, version: number, what: string): asserts doc is Record<string, unknown> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(base, `must be an object (a ${what}; got ${describeValue(doc)})`);
  }
  const d = doc as Record<string, unknown>;
  if (!('format' in d)) throw new ConfigError(base, `missing required property 'format' (a ${what} has "format": "${format}")`);
  if (d.format !== format) {
    throw new ConfigError(underPointer(base, '/format'), `must be "${format}" (got ${describeValue(d.format)}; not a ${what})`);
  }
  if (!('version' in d)) throw new ConfigError(base, "missing required property 'version'");
  if (d.version !== version) {
    throw new ConfigError(
      underPointer(base, '/version'),
      `unsupported version ${describeValue(d.version)} (this build reads version ${version})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------------

/** The JSON document of a model file (plain data, ready for JSON.stringify). */
export function modelToDocument(model: LayeredModel, meta: ModelMeta): Record<string, unknown> {
  const t = meta.training;
  const training: Record<string, unknown> = {
    seed: t.seed,
    epochs_done: t.epochsDone,
    substrate: t.substrate,
    substrate_options: t.substrateOptions,
    validation_accuracy: t.validationAccuracy,
  };
  if (t.testAccuracy !== undefined) training.test_accuracy = t.testAccuracy;
  if (t.trainSamples !== undefined) training.train_samples = t.trainSamples;
  if (t.dataDir !== undefined) training.data_dir = t.dataDir;
  if (t.seconds !== undefined) training.seconds = t.seconds;
  if (t.selectedEpoch !== undefined) training.selected_epoch = t.selectedEpoch;
  const neuron: Record<string, number> = {};
  for (const f of LIF_PARAM_FIELDS) neuron[f] = model.neuron[f];
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    preset: meta.preset,
    layer_sizes: [...model.layerSizes],
    bias_times: [...model.biasTimes],
    neuron,
    weights: model.weights.map((w) => Array.from(w)),
    training,
  };
}

/**
 * Validates a parsed model document (at JSON path `base`) and builds the model. Throws a ConfigError
 * `<JSON path>: <reason>` for the first problem: wrong format or version, schema violations, non-finite
 * numbers, weight arrays of the wrong length, an unknown preset or a network that does not fit its preset.
 */
export function modelFromDocument(doc: unknown, base = '/'): { model: LayeredModel; meta: ModelMeta } {
  checkFormat(doc, base, MODEL_FORMAT, MODEL_VERSION, 'firstspike model file');
  checkFinite(doc, base);
  const validate = compileSchema(MODEL_SCHEMA);
  if (!validate(doc)) throw ajvError(validate.errors, base);
  const d = doc as {
    preset: string;
    layer_sizes: number[];
    bias_times: (number | null)[];
    neuron: LifParams;
    weights: number[][];
    training: Record<string, unknown>;
  };
  const at = (pointer: string) => underPointer(base, pointer);
  const L = d.layer_sizes.length - 1;
  if (d.bias_times.length !== L) {
    throw new ConfigError(at('/bias_times'), `must have one entry per weight layer (${L}), got ${d.bias_times.length}`);
  }
  if (d.weights.length !== L) {
    throw new ConfigError(at('/weights'), `must have one array per weight layer (${L}), got ${d.weights.length}`);
  }
  for (let l = 1; l <= L; l++) {
    const nBelow = d.layer_sizes[l - 1];
    const hasBias = d.bias_times[l - 1] !== null;
    const nPre = nBelow + (hasBias ? 1 : 0);
    const expected = nPre * d.layer_sizes[l];
    if (d.weights[l - 1].length !== expected) {
      throw new ConfigError(
        at(`/weights/${l - 1}`),
        `must have ${expected} weights (${nPre} presynaptic${hasBias ? ' incl. bias' : ''} x ${d.layer_sizes[l]} neurons), got ${d.weights[l - 1].length}`,
      );
    }
  }
  if (!(d.neuron.vResetMv < d.neuron.vThreshMv)) {
    throw new ConfigError(at('/neuron/vResetMv'), `must be below vThreshMv (${d.neuron.vThreshMv})`);
  }
  const preset = PRESETS[d.preset];
  if (preset === undefined || !Object.hasOwn(PRESETS, d.preset)) {
    throw new ConfigError(at('/preset'), `unknown preset ${JSON.stringify(d.preset)} (known: ${Object.keys(PRESETS).sort().join(', ')})`);
  }
  const nIn = preset.layerSizes[0];
  const nOut = preset.layerSizes[preset.layerSizes.length - 1];
  if (d.layer_sizes[0] !== nIn) {
    throw new ConfigError(at('/layer_sizes/0'), `must be ${nIn}, the input count of preset '${preset.name}' (got ${d.layer_sizes[0]})`);
  }
  if (d.layer_sizes[L] !== nOut) {
    throw new ConfigError(at(`/layer_sizes/${L}`), `must be ${nOut}, the class count of preset '${preset.name}' (got ${d.layer_sizes[L]})`);
  }
  const model: LayeredModel = {
    layerSizes: d.layer_sizes,
    biasTimes: d.bias_times,
    neuron: { ...d.neuron },
    weights: d.weights.map((w) => Float64Array.from(w)),
  };
  const t = d.training;
  const training: TrainingRecord = {
    seed: t.seed as number,
    epochsDone: t.epochs_done as number,
    substrate: t.substrate as string,
    substrateOptions: t.substrate_options as Record<string, unknown>,
    validationAccuracy: t.validation_accuracy as number | null,
    ...(t.test_accuracy !== undefined && { testAccuracy: t.test_accuracy as number | null }),
    ...(t.train_samples !== undefined && { trainSamples: t.train_samples as number | null }),
    ...(t.data_dir !== undefined && { dataDir: t.data_dir as string | null }),
    ...(t.seconds !== undefined && { seconds: t.seconds as number }),
    ...(t.selected_epoch !== undefined && { selectedEpoch: t.selected_epoch as number }),
  };
  return { model, meta: { preset: d.preset, training } };
}

/** Same shapes as the model's weights? (for optimiser state stored beside them). */
export function checkLikeWeights(model: LayeredModel, arrays: readonly unknown[], path: string): void {
  if (arrays.length !== model.weights.length) {
    throw new ConfigError(path, `must have one array per weight layer (${model.weights.length}), got ${arrays.length}`);
  }
  arrays.forEach((a, l) => {
    const n = Array.isArray(a) ? a.length : -1;
    if (n !== model.weights[l].length) {
      throw new ConfigError(
        `${path}/${l}`,
        `must have ${model.weights[l].length} entries like /weights/${l} (${presynapticCount(model, l + 1)} x ${model.layerSizes[l + 1]}), got ${n}`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Text and files
// ---------------------------------------------------------------------------------------------------

/**
 * JSON text with two-space indentation, except that arrays of numbers (weights, moments) stay on one line
 * each. Numbers use JavaScript's shortest round-trip form, so doubles are reproduced exactly on reading.
 */
export function formatDocument(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(value);
    const inner = `${indent}  `;
    return `[\n${value.map((x) => inner + formatDocument(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatDocument(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Writes `text` so that a reader never sees a partial file: a temp file in the same folder, then rename. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  // devices and pipes written directly, symlinks followed, temp files removed on SIGINT (core/io/atomicWrite.ts)
  await writeFileAtomic(path, text);
}

/** Reads and parses a JSON file; unreadable or invalid JSON becomes a ConfigError at `/`. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const why = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ConfigError('/', `cannot read file '${path}' (${why})`);
  }
  if (text.trim() === '') throw new ConfigError('/', `file '${path}' is empty`);
  return parseConfigText(text, path);
}

/** Saves a model file atomically (temp file + rename). */
export async function saveModel(path: string, model: LayeredModel, meta: ModelMeta): Promise<void> {
  await writeTextAtomic(path, `${formatDocument(modelToDocument(model, meta))}\n`);
}

/** Loads and validates a model file; problems are ConfigErrors `<JSON path>: <reason>`. */
export async function loadModel(path: string): Promise<{ model: LayeredModel; meta: ModelMeta }> {
  return modelFromDocument(await readJsonFile(path));
}
