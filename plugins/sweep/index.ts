/** The sweep plugin (docs/sweeps.md): robustness sweeps over substrate options, sharded and merged. */
export { baselineJob, parseShard, shardJobs, sweepJobs, DEFAULT_OTHER_CHIP_OFFSET, type BaselineJob, type Shard, type SweepJob } from './jobs.ts';
export { loadSweepSpec } from './load.ts';
export { collectResults, writeResults } from './merge.ts';
export { resultRows, resultsCsv, type JobFile, type SweepResults, type SweepRow } from './results.ts';
export { runSweep, type SweepEvents, type SweepRunOptions } from './run.ts';
export { runSweepJob, runBaselineJob, type JobOutcome, type ModeResult } from './runJob.ts';
export {
  SWEEP_MODES,
  SWEEP_SPEC_SCHEMA,
  SpecError,
  canonicalJson,
  checkSweepSpec,
  contentHash,
  expandPoints,
  pointCount,
  specHash,
  type SweepAxis,
  type SweepMode,
  type SweepPoint,
  type SweepSpec,
} from './spec.ts';
export { SweepStoreError, openSweepFolder, readFolderSpec, readJobFiles, sweepPaths } from './store.ts';
export { packageVersion } from './version.ts';
