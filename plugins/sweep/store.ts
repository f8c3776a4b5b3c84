import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomic } from '../learning/modelFile.ts';
import type { JobFile } from './results.ts';
import { specHash, type SweepSpec } from './spec.ts';

/** A problem with a sweep folder or its files (the CLI reports it as bad input). */
export class SweepStoreError extends Error {}

/** The layout of a sweep folder: spec.json, points/<job key>.json, models/<baseline key>.json, results.{json,csv}. */
export function sweepPaths(dir: string) {
  return {
    spec: join(dir, 'spec.json'),
    points: join(dir, 'points'),
    models: join(dir, 'models'),
    job: (key: string) => join(dir, 'points', `${key}.json`),
    model: (key: string) => join(dir, 'models', `${key}.json`),
    resultsJson: join(dir, 'results.json'),
    resultsCsv: join(dir, 'results.csv'),
  };
}

interface SpecFile {
  readonly format: 'firstspike.sweep-spec';
  readonly spec_hash: string;
  readonly spec: SweepSpec;
}

/** The JSON document in `path`, taken as a T (checked by the caller); a SweepStoreError names `what` when it is not JSON. */
function readJsonAs<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new SweepStoreError(`${path}: not a ${what} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Reads the spec a sweep folder was made for (null when there is none yet). */
export function readFolderSpec(dir: string): { hash: string; spec: SweepSpec } | null {
  const path = sweepPaths(dir).spec;
  if (!existsSync(path)) return null;
  const doc = readJsonAs<SpecFile>(path, 'sweep spec file');
  if (doc?.format !== 'firstspike.sweep-spec' || typeof doc.spec_hash !== 'string') throw new SweepStoreError(`${path}: not a sweep spec file`);
  return { hash: doc.spec_hash, spec: doc.spec };
}

/**
 * Prepares `dir` for `spec`: creates it and its sub-folders and records the spec, or checks that the folder
 * was made for the same spec (a folder holds the points of one spec only).
 */
export async function openSweepFolder(dir: string, spec: SweepSpec): Promise<void> {
  const hash = specHash(spec);
  const paths = sweepPaths(dir);
  const existing = readFolderSpec(dir);
  if (existing !== null && existing.hash !== hash) {
    throw new SweepStoreError(`--out: '${dir}' holds points of another spec (hash ${existing.hash}, this spec ${hash}); use another folder`);
  }
  try {
    mkdirSync(paths.points, { recursive: true });
    mkdirSync(paths.models, { recursive: true });
  } catch (error) {
    throw new SweepStoreError(`--out: cannot create '${dir}' (${error instanceof Error && 'code' in error ? String(error.code) : String(error)})`);
  }
  if (existing === null) {
    const doc: SpecFile = { format: 'firstspike.sweep-spec', spec_hash: hash, spec };
    await writeTextAtomic(paths.spec, `${JSON.stringify(doc, null, 2)}\n`);
  }
}

/** Reads a finished job file; null when it is absent. Throws for a file that is not a job file. */
export function readJobFile(path: string): JobFile | null {
  if (!existsSync(path)) return null;
  const doc = readJsonAs<JobFile>(path, 'sweep job file');
  if (doc?.format !== 'firstspike.sweep-job' || typeof doc.spec_hash !== 'string' || !Array.isArray(doc.results)) {
    throw new SweepStoreError(`${path}: not a sweep job file`);
  }
  return doc;
}

/** Every job file of a folder, by job key. */
export function readJobFiles(dir: string): Map<string, { path: string; file: JobFile }> {
  const paths = sweepPaths(dir);
  const out = new Map<string, { path: string; file: JobFile }>();
  if (!existsSync(paths.points)) return out;
  for (const name of readdirSync(paths.points).sort()) {
    if (!name.endsWith('.json')) continue;
    const path = join(paths.points, name);
    const file = readJobFile(path);
    if (file !== null) out.set(file.key, { path, file });
  }
  return out;
}

/** Writes a finished job's file atomically (a reader or a rerun never sees half a file). */
export async function writeJobFile(dir: string, file: JobFile): Promise<void> {
  await writeTextAtomic(sweepPaths(dir).job(file.key), `${JSON.stringify(file, null, 2)}\n`);
}
