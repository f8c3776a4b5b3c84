import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import {
  PYNN_IF_CURR_EXP_DEFAULTS,
  lifParamArrays,
  type LifParamArrays,
  type LifParams,
} from '../lif/params.ts';
import {
  type LifPopulation,
  type Population,
  type Projection,
  type RecordingSpec,
  type SpikeSourcePopulation,
  type TraceRequest,
} from '../network/network.ts';
import { exponentialDraw, randomStream } from '../rng.ts';
import type { SimulationSpec, SubstrateChoice } from '../simulation.ts';
import { ConfigError, childPointer, jsonPointer } from './configError.ts';
import { checkConnector, type ConnectorEnds } from './connectors.ts';
import { normalisePynnNames } from './pynnNames.ts';
import { configSchemaValidator } from './schemaValidator.ts';
import {
  type FirstspikeConfig,
  type IfCurrExpConfig,
  type IfCurrExpParamsConfig,
  type PopulationConfig,
  type ProjectionConfig,
  type SpikeSourceArrayConfig,
  type SpikeSourcePoissonConfig,
} from './schema.ts';
import { checkWeightAgainstConnections, classifyWeight, weightSource } from './weights.ts';
import { connectorCsr } from './connectorCsr.ts';
import { checkMagnitudes } from './magnitudes.ts';
import { checkResources, defaultResourceLimits, type ResourceLimits } from './resourceLimits.ts';

export type { FirstspikeConfig };

/** What the loader needs to know from outside core/. */
export interface LoadOptions {
  /** Names of the substrates that exist (the config's substrate must be one of them). */
  readonly knownSubstrates: readonly string[];
  /**
   * Memory and spike limits the config must stay within (estimated before anything is built); default
   * {@link defaultResourceLimits}: half the machine's memory (at most the JS heap limit), 1e7 spikes.
   */
  readonly limits?: ResourceLimits;
}

/** Default substrate when the config names none. */
export const DEFAULT_SUBSTRATE = 'ideal';

// ---------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------

/**
 * Parses JSON text. A syntax error becomes a ConfigError at `/` whose reason names `sourceName` and the
 * line and column of the first offending character.
 */
export function parseConfigText(text: string, sourceName: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    let found: ReturnType<typeof locateJsonError>;
    try {
      found = locateJsonError(body);
    } catch {
      found = undefined; // the locator recursed too deep: fall back to JSON.parse's own message
    }
    if (found === undefined) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ConfigError('/', `invalid JSON in '${sourceName}': ${detail}`);
    }
    const { line, column } = lineAndColumn(body, found.offset);
    throw new ConfigError('/', `invalid JSON in '${sourceName}' at line ${line}, column ${column}: ${found.what}`);
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A small JSON grammar scanner (RFC 8259) used only to say *where* JSON.parse failed, since V8's messages
 * do not always carry a position. Returns undefined if it finds no error.
 */
function locateJsonError(s: string): { offset: number; what: string } | undefined {
  let i = 0;
  class Stop {
    constructor(readonly offset: number) {}
  }
  const fail = (): never => {
    throw new Stop(i);
  };
  const skipSpace = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const expect = (ch: string): void => {
    if (s[i] !== ch) fail();
    i++;
  };
  const literal = (word: string): void => {
    if (!s.startsWith(word, i)) fail();
    i += word.length;
  };
  const numberPattern = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const number = (): void => {
    numberPattern.lastIndex = i;
    const m = numberPattern.exec(s);
    if (m === null) fail();
    i = numberPattern.lastIndex;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (i >= s.length) fail();
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 92) {
        i++;
        if (s[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(s[i] ?? '')) fail();
        } else if (s[i] !== undefined && '"\\/bfnrt'.includes(s[i])) {
          i++;
        } else {
          fail();
        }
      } else {
        i++;
      }
    }
  };
  const value = (): void => {
    skipSpace();
    const c = s[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value();
        skipSpace();
        if (s[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (s[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    skipSpace();
    if (i < s.length) fail();
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const at = err.offset;
    const what =
      at >= s.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(s[at])}`;
    return { offset: at, what };
  }
}

/**
 * Reads, parses, validates and builds a config file. Every failure (missing or unreadable file, JSON
 * syntax, schema, semantics) is a ConfigError.
 */
export async function loadConfigFile(path: string, options: LoadOptions): Promise<SimulationSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : err instanceof Error
              ? err.message
              : String(err);
    throw new ConfigError('/', `cannot read file '${path}': ${why}`);
  }
  return buildSimulation(parseConfigText(text, path), options);
}

// ---------------------------------------------------------------------------------------------------
// Schema validation and the translation of ajv's errors into one-liners
// ---------------------------------------------------------------------------------------------------

/** Rejects NaN and +-Infinity anywhere (JSON cannot hold them, but objects from library code can). */
function checkFiniteNumbers(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConfigError(path, `must be a finite number (got ${value})`);
  } else if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) checkFiniteNumbers(value[k], childPointer(path, k));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkFiniteNumbers(item, childPointer(path, key));
  }
}

const RANGE_HINTS: Readonly<Record<string, string>> = {
  tau_m: 'a time constant',
  tau_syn_E: 'a time constant',
  tau_syn_I: 'a time constant',
  cm: 'a capacitance',
  tau_refrac: 'a duration',
  duration: 'the simulated time in ms',
  rate: 'a rate in Hz',
  delay: 'a delay in ms',
  std: 'a standard deviation',
  size: 'a population needs at least one neuron',
  dt: 'a sampling step in ms',
};

function lastToken(pointer: string): string {
  const k = pointer.lastIndexOf('/');
  return pointer.slice(k + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

function rangeHint(path: string): string {
  const key = lastToken(path);
  if (/\/spike_times\//.test(path)) return ' (a spike time)';
  if (/^\d+$/.test(key) && /\/(indices|connections)\//.test(path + '/')) return ' (a neuron index)';
  const hint = RANGE_HINTS[key];
  return hint === undefined ? '' : ` (${hint})`;
}

/** 'integer,string' -> 'an integer or a string' (for one-line schema errors). */
export function describeType(type: string): string {
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'an array',
    object: 'an object',
    null: 'null',
  };
  const parts = type.split(',').map((t) => names[t] ?? t);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** A short description of a JSON value for error messages (long strings are cut). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

const COMPOSITE_KEYWORDS = new Set(['if', 'then', 'else', 'oneOf', 'anyOf', 'allOf', 'not']);

/** Turns ajv's first error into a ConfigError with a one-line reason. */
function translateAjvError(errors: readonly ErrorObject[]): ConfigError {
  const e = errors.find((x) => !COMPOSITE_KEYWORDS.has(x.keyword)) ?? errors[0];
  if (e === undefined) return new ConfigError('/', 'does not match the config schema');
  const path = e.instancePath === '' ? '/' : e.instancePath;
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((parent.properties ?? {}) as object);
      return new ConfigError(
        path,
        `unknown property '${String(p.additionalProperty)}' (allowed: ${allowed.join(', ')})`,
      );
    }
    case 'required':
      return new ConfigError(path, `missing required property '${String(p.missingProperty)}'`);
    case 'type':
      return new ConfigError(path, `must be ${describeType(String(p.type))} (got ${describeValue(e.data)})`);
    case 'exclusiveMinimum':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return new ConfigError(path, `must be ${String(p.comparison)} ${String(p.limit)}${rangeHint(path)}`);
    case 'minItems':
    case 'maxItems':
    case 'additionalItems':
      if (/\/connections\/\d+$/.test(path)) {
        return new ConfigError(path, 'a connection must be [pre, post] or [pre, post, weight]');
      }
      if (path === '/populations') return new ConfigError(path, 'must list at least one population');
      return new ConfigError(path, e.message ?? e.keyword);
    case 'pattern':
      return new ConfigError(
        path,
        `invalid name ${JSON.stringify(e.data)}: must start with a letter or '_' and contain only letters, ` +
          "digits, '_', '.' and '-'",
      );
    case 'minLength':
      return new ConfigError(path, 'must not be empty');
    case 'uniqueItems': {
      const data = e.data as unknown[];
      const i = Number(p.i);
      const j = Number(p.j);
      return new ConfigError(
        path,
        `duplicate entry ${JSON.stringify(data[i])} (items ${Math.min(i, j)} and ${Math.max(i, j)})`,
      );
    }
    case 'const':
      return new ConfigError(path, `must be ${JSON.stringify(p.allowedValue)}`);
    case 'discriminator': {
      const tag = String(p.tag);
      const tagPath = childPointer(path, tag);
      const branches = (parent.oneOf ?? []) as { properties?: Record<string, { const?: unknown }> }[];
      const known = branches.map((b) => String(b.properties?.[tag]?.const)).join(', ');
      if (p.error === 'mapping') {
        const what =
          tag === 'distribution'
            ? 'weight distribution'
            : /\/connector$/.test(path)
              ? 'connector type'
              : 'population type';
        return new ConfigError(tagPath, `unknown ${what} ${JSON.stringify(p.tagValue)} (known: ${known})`);
      }
      return new ConfigError(tagPath, `must be a string, one of: ${known}`);
    }
    default:
      return new ConfigError(path, e.message ?? `fails '${e.keyword}'`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Semantic checks and building
// ---------------------------------------------------------------------------------------------------

const PARAM_NAMES: Readonly<Record<keyof IfCurrExpParamsConfig, keyof LifParams>> = {
  tau_m: 'tauMemMs',
  tau_syn_E: 'tauSynExcMs',
  tau_syn_I: 'tauSynInhMs',
  cm: 'capacitanceNf',
  v_rest: 'vRestMv',
  v_reset: 'vResetMv',
  v_thresh: 'vThreshMv',
  tau_refrac: 'tauRefracMs',
  i_offset: 'iOffsetNa',
};

function toLifParams(base: LifParams, given: IfCurrExpParamsConfig | undefined): LifParams {
  const out: Record<string, number> = { ...base };
  if (given !== undefined) {
    for (const [key, field] of Object.entries(PARAM_NAMES)) {
      const v = given[key as keyof IfCurrExpParamsConfig];
      if (v !== undefined) out[field] = v;
    }
  }
  return out as unknown as LifParams;
}

function knownList(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

function outOfRange(path: string, index: number, what: string, population: string, size: number): ConfigError {
  return new ConfigError(
    path,
    `${what} ${index} out of range (population '${population}' has ${size} neuron${size === 1 ? '' : 's'})`,
  );
}

function buildSubstrate(config: FirstspikeConfig, options: LoadOptions): SubstrateChoice {
  const given = config.substrate ?? DEFAULT_SUBSTRATE;
  let choice: SubstrateChoice;
  let path: string;
  if (typeof given === 'string') {
    choice = { name: given, options: {} };
    path = config.substrate === undefined ? '/' : '/substrate';
  } else {
    const { name, ...rest } = given;
    choice = { name, options: rest };
    path = '/substrate/name';
  }
  if (!options.knownSubstrates.includes(choice.name)) {
    throw new ConfigError(
      path,
      `unknown substrate '${choice.name}' (known: ${knownList(options.knownSubstrates)})`,
    );
  }
  return choice;
}

function buildSpikeSourceArray(pop: SpikeSourceArrayConfig, path: string): SpikeSourcePopulation {
  const times = pop.spike_times as readonly (number | readonly number[])[];
  const perNeuron = times.length > 0 && Array.isArray(times[0]);
  const wrong = times.findIndex((t) => Array.isArray(t) !== perNeuron);
  if (wrong >= 0) {
    throw new ConfigError(
      childPointer(path, 'spike_times', wrong),
      'mixes numbers and lists: give one list per neuron, or one flat list shared by all neurons',
    );
  }
  let spikeTimesMs: Float64Array[];
  if (perNeuron) {
    if (times.length !== pop.size) {
      throw new ConfigError(
        childPointer(path, 'spike_times'),
        `has ${times.length} lists but population '${pop.name}' has ${pop.size} neurons ` +
          '(give one list per neuron, or one flat list shared by all)',
      );
    }
    spikeTimesMs = (times as readonly (readonly number[])[]).map((list) => Float64Array.from(list).sort());
  } else {
    const shared = Float64Array.from(times as readonly number[]).sort();
    spikeTimesMs = Array.from({ length: pop.size }, () => shared.slice());
  }
  return { kind: 'source', name: pop.name, size: pop.size, spikeTimesMs };
}

/**
 * Poisson spike trains on [start, stop): per neuron in index order, exponential inter-spike intervals with
 * mean 1000/rate ms, all from the stream `input/<name>`.
 */
function buildSpikeSourcePoisson(
  pop: SpikeSourcePoissonConfig,
  path: string,
  seed: number,
  durationMs: number,
): SpikeSourcePopulation {
  const start = pop.start ?? 0;
  const stop = pop.stop ?? durationMs;
  if (stop < start) {
    throw new ConfigError(
      childPointer(path, pop.stop === undefined ? 'start' : 'stop'),
      `stop (${stop} ms${pop.stop === undefined ? ', the default: the duration' : ''}) must be >= start (${start} ms)`,
    );
  }
  const ratePerMs = pop.rate / 1000;
  const stream = randomStream(seed, `input/${pop.name}`);
  const spikeTimesMs: Float64Array[] = [];
  const buffer: number[] = [];
  for (let i = 0; i < pop.size; i++) {
    buffer.length = 0;
    if (ratePerMs > 0) {
      for (let t = start + exponentialDraw(stream, ratePerMs); t < stop; t += exponentialDraw(stream, ratePerMs)) {
        buffer.push(t);
      }
    }
    spikeTimesMs.push(Float64Array.from(buffer));
  }
  return { kind: 'source', name: pop.name, size: pop.size, spikeTimesMs };
}

function buildLif(pop: IfCurrExpConfig, path: string): LifPopulation {
  const base = toLifParams(PYNN_IF_CURR_EXP_DEFAULTS, pop.params);
  const params: LifParamArrays = lifParamArrays(pop.size, base);
  // Which override last set v_reset or v_thresh of each neuron (-1: the population's params), for errors.
  const thresholdSetter = new Int32Array(pop.size).fill(-1);
  (pop.overrides ?? []).forEach((override, o) => {
    const overridePath = childPointer(path, 'overrides', o);
    override.indices.forEach((index, k) => {
      if (index >= pop.size) {
        throw outOfRange(childPointer(overridePath, 'indices', k), index, 'neuron index', pop.name, pop.size);
      }
    });
    const touchesThreshold = override.params.v_reset !== undefined || override.params.v_thresh !== undefined;
    for (const [key, field] of Object.entries(PARAM_NAMES)) {
      const v = override.params[key as keyof IfCurrExpParamsConfig];
      if (v === undefined) continue;
      const column = params[field];
      for (const index of override.indices) column[index] = v;
    }
    if (touchesThreshold) for (const index of override.indices) thresholdSetter[index] = o;
  });
  for (let i = 0; i < pop.size; i++) {
    const reset = params.vResetMv[i];
    const thresh = params.vThreshMv[i];
    if (reset >= thresh) {
      const o = thresholdSetter[i];
      const where =
        o >= 0
          ? childPointer(path, 'overrides', o, 'params')
          : childPointer(path, 'params', pop.params?.v_reset !== undefined ? 'v_reset' : 'v_thresh');
      const which = o >= 0 || (pop.overrides ?? []).length > 0 ? ` (neuron ${i}, after overrides)` : '';
      throw new ConfigError(where, `v_reset (${reset} mV) must be < v_thresh (${thresh} mV)${which}`);
    }
  }
  let initialVMv: Float64Array;
  if (pop.initial_v === undefined) {
    initialVMv = params.vRestMv.slice();
  } else if (typeof pop.initial_v === 'number') {
    initialVMv = new Float64Array(pop.size).fill(pop.initial_v);
  } else {
    if (pop.initial_v.length !== pop.size) {
      throw new ConfigError(
        childPointer(path, 'initial_v'),
        `has ${pop.initial_v.length} values but population '${pop.name}' has ${pop.size} neurons ` +
          '(give one number for all, or one per neuron)',
      );
    }
    initialVMv = Float64Array.from(pop.initial_v);
  }
  return { kind: 'lif', name: pop.name, size: pop.size, params, initialVMv };
}

function buildPopulations(config: FirstspikeConfig, seed: number): Population[] {
  const seen = new Map<string, number>();
  return config.populations.map((pop: PopulationConfig, index) => {
    const path = jsonPointer('populations', index);
    const previous = seen.get(pop.name);
    if (previous !== undefined) {
      throw new ConfigError(
        childPointer(path, 'name'),
        `duplicate population name '${pop.name}' (also /populations/${previous})`,
      );
    }
    seen.set(pop.name, index);
    switch (pop.type) {
      case 'spike_source_array':
        return buildSpikeSourceArray(pop, path);
      case 'spike_source_poisson':
        return buildSpikeSourcePoisson(pop, path, seed, config.duration);
      case 'IF_curr_exp':
        return buildLif(pop, path);
    }
  });
}

function findPopulation(populations: readonly Population[], name: string, path: string): number {
  const index = populations.findIndex((p) => p.name === name);
  if (index < 0) {
    throw new ConfigError(
      path,
      `unknown population '${name}' (known: ${knownList(populations.map((p) => p.name))})`,
    );
  }
  return index;
}

function requireLif(
  populations: readonly Population[],
  configPops: readonly PopulationConfig[],
  index: number,
  path: string,
  purpose: string,
): void {
  if (populations[index].kind !== 'lif') {
    throw new ConfigError(
      path,
      `population '${populations[index].name}' is a spike source (${configPops[index].type}); ${purpose}`,
    );
  }
}

function buildProjection(
  proj: ProjectionConfig,
  p: number,
  config: FirstspikeConfig,
  populations: readonly Population[],
  names: Map<string, number>,
  seed: number,
): Projection {
  const path = jsonPointer('projections', p);
  const source = findPopulation(populations, proj.source, childPointer(path, 'source'));
  const target = findPopulation(populations, proj.target, childPointer(path, 'target'));
  requireLif(
    populations,
    config.populations,
    target,
    childPointer(path, 'target'),
    'a projection must target an IF_curr_exp population',
  );
  const name = proj.name ?? `${proj.source}->${proj.target}#${p}`;
  const previous = names.get(name);
  if (previous !== undefined) {
    throw new ConfigError(
      proj.name === undefined ? path : childPointer(path, 'name'),
      `duplicate projection name '${name}' (also /projections/${previous}); projection names must be unique ` +
        'because they name the random streams',
    );
  }
  names.set(name, p);

  const ends: ConnectorEnds = {
    sourceName: proj.source,
    targetName: proj.target,
    nPre: populations[source].size,
    nPost: populations[target].size,
    samePopulation: source === target,
  };
  const connectorPath = childPointer(path, 'connector');
  checkConnector(proj.connector, connectorPath, ends);

  const weightPath = childPointer(path, 'weight');
  if (proj.weight === undefined) {
    const c = proj.connector;
    const lacking = c.type === 'from_list' ? c.connections.findIndex((entry) => entry.length < 3) : 0;
    if (lacking >= 0) {
      const why =
        c.type === 'from_list'
          ? `from_list entry ${lacking} has no weight of its own`
          : 'needed unless every from_list entry gives its own weight';
      throw new ConfigError(path, `missing required property 'weight' (${why})`);
    }
  }
  const form = proj.weight === undefined ? undefined : classifyWeight(proj.weight, weightPath, ends);
  // CSR built in typed arrays directly (12 bytes per synapse at the peak, see connectorCsr.ts)
  const synapses = connectorCsr(
    proj.connector,
    ends,
    () => randomStream(seed, `connectivity/${name}`),
    weightSource(form, () => randomStream(seed, `weights/${name}`)),
    (count) => {
      if (form !== undefined) checkWeightAgainstConnections(form, weightPath, { count });
    },
  );
  return { name, source, target, delayMs: proj.delay ?? 0, synapses };
}

/** Upper bound on the samples of one membrane-trace request (8 bytes each). */
const MAX_TRACE_SAMPLES = 100_000_000;

function buildRecording(config: FirstspikeConfig, populations: readonly Population[]): RecordingSpec {
  const record = config.record ?? {};
  let spikes: number[];
  if (record.spikes === undefined) {
    spikes = populations.flatMap((pop, index) => (pop.kind === 'lif' ? [index] : []));
  } else {
    spikes = [];
    record.spikes.forEach((name, k) => {
      const path = jsonPointer('record', 'spikes', k);
      const index = findPopulation(populations, name, path);
      if (spikes.includes(index)) throw new ConfigError(path, `population '${name}' is listed twice`);
      spikes.push(index);
    });
  }
  const membrane: TraceRequest[] = (record.v ?? []).map((request, k) => {
    const path = jsonPointer('record', 'v', k);
    const index = findPopulation(populations, request.population, childPointer(path, 'population'));
    requireLif(
      populations,
      config.populations,
      index,
      childPointer(path, 'population'),
      'membrane traces need an IF_curr_exp population',
    );
    const size = populations[index].size;
    const indices = request.indices === undefined ? Array.from({ length: size }, (_, i) => i) : [...request.indices];
    indices.forEach((neuron, m) => {
      if (neuron >= size) {
        throw outOfRange(childPointer(path, 'indices', m), neuron, 'neuron index', request.population, size);
      }
    });
    const samples = Math.ceil(config.duration / request.dt) * indices.length;
    if (samples > MAX_TRACE_SAMPLES) {
      throw new ConfigError(
        childPointer(path, 'dt'),
        `would record ${samples} samples (duration / dt x neurons), more than the limit of ${MAX_TRACE_SAMPLES}; use a larger dt or fewer indices`,
      );
    }
    return { population: index, indices, dtMs: request.dt };
  });
  return { spikes, membrane };
}

/**
 * Validates a parsed config (JSON Schema, then the cross-field rules) and builds the simulation it
 * describes. Throws a ConfigError naming the JSON path of the first problem found.
 */
export function buildSimulation(config: unknown, options: LoadOptions): SimulationSpec {
  try {
    return buildValidated(config, options);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new ConfigError('/', 'the config is nested too deeply');
    }
    throw error;
  }
}

function buildValidated(raw: unknown, options: LoadOptions): SimulationSpec {
  checkFiniteNumbers(raw, '/');
  const config = normalisePynnNames(raw); // PyNN names on input -> one form (pynnNames.ts)
  const validate = configSchemaValidator();
  if (!validate(config)) throw translateAjvError(validate.errors ?? []);
  const cfg = config as FirstspikeConfig;
  const seed = cfg.seed ?? 0;
  const substrate = buildSubstrate(cfg, options);
  checkMagnitudes(cfg);
  checkResources(cfg, options.limits ?? defaultResourceLimits());
  const populations = buildPopulations(cfg, seed);
  const projectionNames = new Map<string, number>();
  const projections = (cfg.projections ?? []).map((proj, p) =>
    buildProjection(proj, p, cfg, populations, projectionNames, seed),
  );
  const recording = buildRecording(cfg, populations);
  return {
    network: { populations, projections },
    durationMs: cfg.duration,
    seed,
    substrate,
    recording,
  };
}
