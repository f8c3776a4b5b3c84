import { mkdirSync } from 'node:fs';
import { writeTextAtomic } from '../learning/modelFile.ts';
import { sweepJobs } from './jobs.ts';
import { resultRows, resultsCsv, type JobFile, type SweepResults } from './results.ts';
import { readFolderSpec, readJobFiles, sweepPaths, SweepStoreError } from './store.ts';
import { specHash, type SweepSpec } from './spec.ts';

/**
 * The results table of a sweep from the job files of one or more folders (shards of the same spec): refuses
 * folders of another spec and job files of another spec hash. Without `partial`, every job must be there.
 */
export function collectResults(dirs: readonly string[], partial = false): { results: SweepResults; missing: number } {
  if (dirs.length === 0) throw new SweepStoreError('merge: name at least one sweep folder');
  let spec: SweepSpec | null = null;
  let hash = '';
  for (const dir of dirs) {
    const s = readFolderSpec(dir);
    if (s === null) throw new SweepStoreError(`${dir}: not a sweep folder (no spec.json)`);
    if (spec === null) {
      spec = s.spec;
      hash = s.hash;
      if (specHash(spec) !== hash) throw new SweepStoreError(`${sweepPaths(dir).spec}: the spec does not match its hash ${hash}`);
    } else if (s.hash !== hash) {
      throw new SweepStoreError(`${dir}: a sweep of another spec (hash ${s.hash}, not ${hash} of ${dirs[0]})`);
    }
  }
  const { points, jobs, pointJobs } = sweepJobs(spec!);
  const found = new Map<string, JobFile>();
  for (const dir of dirs) {
    for (const [key, { path, file }] of readJobFiles(dir)) {
      if (file.spec_hash !== hash) throw new SweepStoreError(`${path}: a point of another spec (hash ${file.spec_hash}, not ${hash})`);
      if (!found.has(key)) found.set(key, file);
    }
  }
  const missing = jobs.filter((j) => !found.has(j.key)).length;
  if (missing > 0 && !partial) {
    throw new SweepStoreError(`merge: ${missing} of ${jobs.length} points are not finished in ${dirs.join(', ')} (run the missing shards, or merge with --partial)`);
  }
  const keep = points.map((_, p) => p).filter((p) => pointJobs[p].every((j) => found.has(jobs[j].key)));
  const files = jobs.map((j) => found.get(j.key)!);
  const rows = resultRows(
    keep.map((p) => points[p]),
    keep.map((p) => pointJobs[p]),
    files,
  );
  return { results: { format: 'firstspike.sweep-results', spec_hash: hash, axes: spec!.axes.map((a) => a.name), rows, spec: spec! }, missing };
}

/** Writes results.json and results.csv into `outDir` (created). */
export async function writeResults(outDir: string, results: SweepResults): Promise<{ json: string; csv: string }> {
  const paths = sweepPaths(outDir);
  mkdirSync(outDir, { recursive: true });
  await writeTextAtomic(paths.resultsJson, `${JSON.stringify(results, null, 2)}\n`);
  await writeTextAtomic(paths.resultsCsv, resultsCsv(results.axes, results.rows));
  return { json: paths.resultsJson, csv: paths.resultsCsv };
}
