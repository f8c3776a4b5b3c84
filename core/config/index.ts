/** The JSON config: schema, validation with one-line errors, and building a SimulationSpec. */
export { ConfigError, jsonPointer } from './configError.ts';
export {
  CONFIG_SCHEMA,
  CONNECTOR_TYPES,
  POPULATION_NAME_PATTERN,
  POPULATION_TYPES,
  WEIGHT_DISTRIBUTIONS,
  configSchemaJson,
  writeConfigSchema,
} from './schema.ts';
export type {
  AllToAllConnectorConfig,
  ConnectionEntryConfig,
  ConnectorConfig,
  FirstspikeConfig,
  FixedInDegreeConnectorConfig,
  FixedOutDegreeConnectorConfig,
  FixedProbabilityConnectorConfig,
  FromListConnectorConfig,
  IfCurrExpConfig,
  IfCurrExpParamsConfig,
  NormalWeightConfig,
  OneToOneConnectorConfig,
  ParamOverrideConfig,
  PopulationConfig,
  ProjectionConfig,
  RecordConfig,
  SpikeSourceArrayConfig,
  SpikeSourcePoissonConfig,
  SubstrateObjectConfig,
  TraceRecordConfig,
  UniformWeightConfig,
  WeightConfig,
} from './schema.ts';
export { PYNN_TYPE_ALIASES, normalisePynnNames } from './pynnNames.ts';
export { generateConnections, type Connections, type ConnectorEnds } from './connectors.ts';
export {
  DEFAULT_SUBSTRATE,
  buildSimulation,
  loadConfigFile,
  parseConfigText,
  type LoadOptions,
} from './loadConfig.ts';
export {
  DEFAULT_MAX_SPIKES,
  DEFAULT_MEMORY_FRACTION,
  checkResources,
  defaultMaxMemoryBytes,
  defaultResourceLimits,
  formatBytes,
  type ResourceLimits,
} from './resourceLimits.ts';
export { checkMagnitudes } from './magnitudes.ts';
