import { writeFile } from 'node:fs/promises';

/*
 * The JSON config format of a firstspike run: its TypeScript types (for library users) and its JSON Schema
 * (draft-07, checked with ajv; docs/config.md is the prose reference). Names and units follow PyNN's
 * IF_curr_exp: ms, mV, nF, nA; rates in Hz. The schema checks structure, types and per-value ranges; the
 * cross-field rules (names that must exist, sizes that must agree, v_reset < v_thresh, ...) are checked
 * by loadConfig.ts after the schema passes.
 */

// ---------------------------------------------------------------------------------------------------
// TypeScript types of the format
// ---------------------------------------------------------------------------------------------------

/** IF_curr_exp parameters as written in the config (PyNN names and units); every field optional. */
export interface IfCurrExpParamsConfig {
  /** Membrane time constant (ms, > 0). Default 20. */
  readonly tau_m?: number;
  /** Excitatory synaptic time constant (ms, > 0). Default 5. */
  readonly tau_syn_E?: number;
  /** Inhibitory synaptic time constant (ms, > 0). Default 5. */
  readonly tau_syn_I?: number;
  /** Membrane capacitance (nF, > 0). Default 1. */
  readonly cm?: number;
  /** Resting potential (mV). Default -65. */
  readonly v_rest?: number;
  /** Reset potential (mV, < v_thresh). Default -65. */
  readonly v_reset?: number;
  /** Threshold (mV). Default -50. */
  readonly v_thresh?: number;
  /** Refractory period (ms, >= 0). Default 0.1. */
  readonly tau_refrac?: number;
  /** Offset current (nA). Default 0. */
  readonly i_offset?: number;
}

/** Parameters for a subset of a population's neurons; later overrides win. */
export interface ParamOverrideConfig {
  /** Neuron indices within the population. */
  readonly indices: readonly number[];
  readonly params: IfCurrExpParamsConfig;
}

/** A population of neurons with given spike times. */
export interface SpikeSourceArrayConfig {
  readonly name: string;
  readonly type: 'spike_source_array';
  readonly size: number;
  /** One list of times (ms) per neuron, or one flat list shared by all neurons. */
  readonly spike_times: readonly (readonly number[])[] | readonly number[];
}

/** A population of independent Poisson spike sources. */
export interface SpikeSourcePoissonConfig {
  readonly name: string;
  readonly type: 'spike_source_poisson';
  readonly size: number;
  /** Rate (Hz, >= 0). */
  readonly rate: number;
  /** Start of the spiking window (ms, >= 0). Default 0. */
  readonly start?: number;
  /** End of the spiking window (ms, exclusive). Default: the run's duration. */
  readonly stop?: number;
}

/** A population of current-based LIF neurons (PyNN IF_curr_exp). */
export interface IfCurrExpConfig {
  readonly name: string;
  readonly type: 'IF_curr_exp';
  readonly size: number;
  readonly params?: IfCurrExpParamsConfig;
  readonly overrides?: readonly ParamOverrideConfig[];
  /** Initial membrane potential (mV): one number for all, or one per neuron. Default: each neuron's v_rest. */
  readonly initial_v?: number | readonly number[];
}

export type PopulationConfig = SpikeSourceArrayConfig | SpikeSourcePoissonConfig | IfCurrExpConfig;

export interface AllToAllConnectorConfig {
  readonly type: 'all_to_all';
  /** Default true; only matters when source and target are the same population. */
  readonly allow_self_connections?: boolean;
}

export interface OneToOneConnectorConfig {
  readonly type: 'one_to_one';
}

export interface FixedProbabilityConnectorConfig {
  readonly type: 'fixed_probability';
  /** Probability of each (pre, post) pair, in [0, 1]. */
  readonly p_connect: number;
  /** Default true. */
  readonly allow_self_connections?: boolean;
}

export interface FixedInDegreeConnectorConfig {
  readonly type: 'fixed_in_degree';
  /** Number of distinct sources per target neuron. */
  readonly n: number;
  /** Default true. */
  readonly allow_self_connections?: boolean;
}

export interface FixedOutDegreeConnectorConfig {
  readonly type: 'fixed_out_degree';
  /** Number of distinct targets per source neuron (PyNN FixedNumberPostConnector). */
  readonly n: number;
  /** Default true. */
  readonly allow_self_connections?: boolean;
}

/** `[pre, post]` or `[pre, post, weight]`. */
export type ConnectionEntryConfig = readonly [number, number] | readonly [number, number, number];

export interface FromListConnectorConfig {
  readonly type: 'from_list';
  readonly connections: readonly ConnectionEntryConfig[];
}

export type ConnectorConfig =
  | AllToAllConnectorConfig
  | OneToOneConnectorConfig
  | FixedProbabilityConnectorConfig
  | FixedInDegreeConnectorConfig
  | FixedOutDegreeConnectorConfig
  | FromListConnectorConfig;

export interface NormalWeightConfig {
  readonly distribution: 'normal';
  readonly mean: number;
  readonly std: number;
}

export interface UniformWeightConfig {
  readonly distribution: 'uniform';
  readonly low: number;
  readonly high: number;
}

/** nA: one value, a [n_pre][n_post] matrix, one value per connection, or a distribution. */
export type WeightConfig =
  | number
  | readonly (readonly number[])[]
  | readonly number[]
  | NormalWeightConfig
  | UniformWeightConfig;

export interface ProjectionConfig {
  /** Default `<source>-><target>#<index>`. */
  readonly name?: string;
  readonly source: string;
  readonly target: string;
  readonly connector: ConnectorConfig;
  /** Required unless every from_list entry carries its own weight. */
  readonly weight?: WeightConfig;
  /** Transmission delay (ms, >= 0). Default 0. */
  readonly delay?: number;
}

export interface TraceRecordConfig {
  readonly population: string;
  /** Default: every neuron of the population. */
  readonly indices?: readonly number[];
  /** Sampling step (ms, > 0). */
  readonly dt: number;
}

export interface RecordConfig {
  /** Default: every IF_curr_exp population. */
  readonly spikes?: readonly string[];
  readonly v?: readonly TraceRecordConfig[];
}

/** Substrate given as an object: its name plus substrate-specific options. */
export interface SubstrateObjectConfig {
  readonly name: string;
  readonly [option: string]: unknown;
}

/** The whole config file. */
export interface FirstspikeConfig {
  /** Master seed (integer >= 0). Default 0. */
  readonly seed?: number;
  /** Simulated time (ms, > 0). */
  readonly duration: number;
  /** Default "ideal". */
  readonly substrate?: string | SubstrateObjectConfig;
  readonly populations: readonly PopulationConfig[];
  readonly projections?: readonly ProjectionConfig[];
  readonly record?: RecordConfig;
}

// ---------------------------------------------------------------------------------------------------
// The JSON Schema
// ---------------------------------------------------------------------------------------------------

/** Population `type` values, in the order the schema lists them. */
export const POPULATION_TYPES = ['spike_source_array', 'spike_source_poisson', 'IF_curr_exp'] as const;
/** Connector `type` values. */
export const CONNECTOR_TYPES = [
  'all_to_all',
  'one_to_one',
  'fixed_probability',
  'fixed_in_degree',
  'fixed_out_degree',
  'from_list',
] as const;
/** Weight `distribution` values. */
export const WEIGHT_DISTRIBUTIONS = ['normal', 'uniform'] as const;

/** Pattern of population names. */
export const POPULATION_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';

const NEURON_INDEX = {
  type: 'integer',
  minimum: 0,
  description: 'Neuron index within the population (0-based).',
} as const;

const POPULATION_NAME = {
  type: 'string',
  pattern: POPULATION_NAME_PATTERN,
  description: 'Population name: a letter or underscore, then letters, digits, "_", "." or "-". Unique.',
} as const;

const POPULATION_SIZE = {
  type: 'integer',
  minimum: 1,
  maximum: 100_000_000,
  description: 'Number of neurons (1 to 1e8).',
} as const;

const LIF_PARAMS = {
  type: 'object',
  description: 'IF_curr_exp parameters (PyNN names and units); omitted ones take the PyNN defaults.',
  additionalProperties: false,
  properties: {
    tau_m: { type: 'number', exclusiveMinimum: 0, description: 'Membrane time constant (ms, > 0). Default 20.' },
    tau_syn_E: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Excitatory synaptic current time constant (ms, > 0). Default 5.',
    },
    tau_syn_I: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Inhibitory synaptic current time constant (ms, > 0). Default 5.',
    },
    cm: { type: 'number', exclusiveMinimum: 0, description: 'Membrane capacitance (nF, > 0). Default 1.' },
    v_rest: { type: 'number', description: 'Resting (leak reversal) potential (mV). Default -65.' },
    v_reset: { type: 'number', description: 'Reset potential after a spike (mV, < v_thresh). Default -65.' },
    v_thresh: { type: 'number', description: 'Firing threshold (mV). Default -50.' },
    tau_refrac: {
      type: 'number',
      minimum: 0,
      description: 'Refractory period during which V is held at v_reset (ms, >= 0). Default 0.1.',
    },
    i_offset: { type: 'number', description: 'Constant offset current (nA). Default 0.' },
  },
} as const;

const SPIKE_SOURCE_ARRAY = {
  type: 'object',
  description: 'Spike sources with spike times given in the config.',
  additionalProperties: false,
  required: ['name', 'type', 'size', 'spike_times'],
  properties: {
    name: POPULATION_NAME,
    type: { const: 'spike_source_array', description: 'Population kind.' },
    size: POPULATION_SIZE,
    spike_times: {
      type: 'array',
      description:
        'Spike times (ms, finite, >= 0): one list per neuron, or one flat list shared by every neuron. ' +
        'Need not be sorted.',
      items: {
        type: ['number', 'array'],
        description: 'A spike time (flat form) or the list of one neuron\'s spike times (per-neuron form).',
        if: { type: 'array' },
        then: { items: { type: 'number', minimum: 0, description: 'A spike time (ms, >= 0).' } },
        else: { minimum: 0 },
      },
    },
  },
} as const;

const SPIKE_SOURCE_POISSON = {
  type: 'object',
  description: 'Independent Poisson spike sources.',
  additionalProperties: false,
  required: ['name', 'type', 'size', 'rate'],
  properties: {
    name: POPULATION_NAME,
    type: { const: 'spike_source_poisson', description: 'Population kind.' },
    size: POPULATION_SIZE,
    rate: { type: 'number', minimum: 0, description: 'Firing rate of each source (Hz, >= 0).' },
    start: { type: 'number', minimum: 0, description: 'Start of the spiking window (ms, >= 0). Default 0.' },
    stop: {
      type: 'number',
      minimum: 0,
      description: 'End of the spiking window (ms, exclusive, >= start). Default: the run duration.',
    },
  },
} as const;

const IF_CURR_EXP = {
  type: 'object',
  description: 'Current-based LIF neurons with exponential synaptic currents (PyNN IF_curr_exp).',
  additionalProperties: false,
  required: ['name', 'type', 'size'],
  properties: {
    name: POPULATION_NAME,
    type: { const: 'IF_curr_exp', description: 'Population kind.' },
    size: POPULATION_SIZE,
    params: LIF_PARAMS,
    overrides: {
      type: 'array',
      description: 'Per-neuron parameter overrides, applied in order (later entries win).',
      items: {
        type: 'object',
        description: 'Parameters for a subset of the neurons.',
        additionalProperties: false,
        required: ['indices', 'params'],
        properties: {
          indices: { type: 'array', description: 'Neuron indices to override.', items: NEURON_INDEX },
          params: LIF_PARAMS,
        },
      },
    },
    initial_v: {
      type: ['number', 'array'],
      description: 'Membrane potential at t = 0 (mV): one value for all, or one per neuron. Default: v_rest.',
      items: { type: 'number', description: 'Initial membrane potential of one neuron (mV).' },
    },
  },
} as const;

const ALLOW_SELF = {
  type: 'boolean',
  description: 'Whether neuron i may connect to itself when source and target are the same population. Default true.',
} as const;

const CONNECTOR = {
  type: 'object',
  description: 'How the connections are generated.',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { const: 'all_to_all', description: 'Every source neuron to every target neuron.' },
        allow_self_connections: ALLOW_SELF,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { const: 'one_to_one', description: 'Source neuron i to target neuron i (equal sizes).' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['p_connect'],
      properties: {
        type: { const: 'fixed_probability', description: 'Each pair independently with probability p_connect.' },
        p_connect: { type: 'number', minimum: 0, maximum: 1, description: 'Connection probability in [0, 1].' },
        allow_self_connections: ALLOW_SELF,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['n'],
      properties: {
        type: { const: 'fixed_in_degree', description: 'Each target gets n distinct sources drawn at random.' },
        n: { type: 'integer', minimum: 0, description: 'Number of sources per target neuron.' },
        allow_self_connections: ALLOW_SELF,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['n'],
      properties: {
        type: { const: 'fixed_out_degree', description: 'Each source gets n distinct targets drawn at random.' },
        n: { type: 'integer', minimum: 0, description: 'Number of targets per source neuron.' },
        allow_self_connections: ALLOW_SELF,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['connections'],
      properties: {
        type: { const: 'from_list', description: 'An explicit list of connections.' },
        connections: {
          type: 'array',
          description: 'Connections [pre, post] or [pre, post, weight (nA)], in this order.',
          items: {
            type: 'array',
            description: '[pre, post] or [pre, post, weight].',
            minItems: 2,
            maxItems: 3,
            additionalItems: false,
            items: [NEURON_INDEX, NEURON_INDEX, { type: 'number', description: 'Weight (nA).' }],
          },
        },
      },
    },
  ],
} as const;

const WEIGHT = {
  type: ['number', 'array', 'object'],
  description:
    'Weight (nA; > 0 excitatory, < 0 inhibitory): a number, a [n_pre][n_post] matrix, one value per ' +
    'connection in generation order, or a distribution object.',
  if: { type: 'object' },
  then: {
    required: ['distribution'],
    discriminator: { propertyName: 'distribution' },
    oneOf: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['mean', 'std'],
        properties: {
          distribution: { const: 'normal', description: 'Independent normal draws.' },
          mean: { type: 'number', description: 'Mean (nA).' },
          std: { type: 'number', minimum: 0, description: 'Standard deviation (nA, >= 0).' },
        },
      },
      {
        type: 'object',
        additionalProperties: false,
        required: ['low', 'high'],
        properties: {
          distribution: { const: 'uniform', description: 'Independent uniform draws in [low, high).' },
          low: { type: 'number', description: 'Lower bound (nA).' },
          high: { type: 'number', description: 'Upper bound (nA, >= low).' },
        },
      },
    ],
  },
  else: {
    if: { type: 'array' },
    then: {
      items: {
        type: ['number', 'array'],
        description: 'A weight (list form) or one row of the matrix (matrix form).',
        if: { type: 'array' },
        then: { items: { type: 'number', description: 'Weight (nA).' } },
      },
    },
  },
} as const;

const PROJECTION = {
  type: 'object',
  description: 'Synapses from one population to an IF_curr_exp population.',
  additionalProperties: false,
  required: ['source', 'target', 'connector'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      description: 'Projection name (names its random streams). Default "<source>-><target>#<index>". Unique.',
    },
    source: { type: 'string', description: 'Name of the presynaptic population.' },
    target: { type: 'string', description: 'Name of the postsynaptic population (must be IF_curr_exp).' },
    connector: CONNECTOR,
    weight: WEIGHT,
    delay: { type: 'number', minimum: 0, description: 'Transmission delay (ms, >= 0). Default 0.' },
  },
} as const;

const RECORD = {
  type: 'object',
  description: 'What to record.',
  additionalProperties: false,
  properties: {
    spikes: {
      type: 'array',
      description: 'Populations whose spikes are recorded. Default: every IF_curr_exp population.',
      items: { type: 'string', description: 'Population name.' },
    },
    v: {
      type: 'array',
      description: 'Membrane potential traces.',
      items: {
        type: 'object',
        description: 'One trace request.',
        additionalProperties: false,
        required: ['population', 'dt'],
        properties: {
          population: { type: 'string', description: 'Name of an IF_curr_exp population.' },
          indices: {
            type: 'array',
            uniqueItems: true,
            description: 'Neurons to trace. Default: all.',
            items: NEURON_INDEX,
          },
          dt: { type: 'number', exclusiveMinimum: 0, description: 'Sampling step (ms, > 0).' },
        },
      },
    },
  },
} as const;

/** The JSON Schema (draft-07) of a firstspike config file. */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:firstspike:config',
  title: 'firstspike config',
  description: 'A firstspike simulation: populations, projections, duration, seed, substrate, recording.',
  type: 'object',
  additionalProperties: false,
  required: ['duration', 'populations'],
  properties: {
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Master seed of every random stream (integer >= 0). Default 0.',
    },
    duration: { type: 'number', exclusiveMinimum: 0, description: 'Simulated time (ms, > 0).' },
    substrate: {
      type: ['string', 'object'],
      description:
        'Substrate that realises the network: a name, or an object with "name" and substrate-specific options ' +
        '(passed through to the substrate). Default "ideal".',
      if: { type: 'object' },
      then: {
        required: ['name'],
        properties: { name: { type: 'string', description: 'Substrate name.' } },
      },
    },
    populations: {
      type: 'array',
      minItems: 1,
      description: 'The populations, in order (their index is their position).',
      items: {
        type: 'object',
        description: 'One population; "type" selects the kind.',
        required: ['type'],
        discriminator: { propertyName: 'type' },
        oneOf: [SPIKE_SOURCE_ARRAY, SPIKE_SOURCE_POISSON, IF_CURR_EXP],
      },
    },
    projections: {
      type: 'array',
      description: 'The projections. Default none.',
      items: PROJECTION,
    },
    record: RECORD,
  },
} as const;

/** The schema as pretty-printed JSON text (with a final newline). */
export function configSchemaJson(): string {
  return `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
}

/** Writes the schema as JSON to `path` (e.g. for editors that validate configs). */
export async function writeConfigSchema(path: string): Promise<void> {
  await writeFile(path, configSchemaJson(), 'utf8');
}
