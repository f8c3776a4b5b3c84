import { DEFAULT_IMPERFECT_OPTIONS } from '../../substrates/imperfect/options.ts';
import { canonicalJson, contentHash, expandPoints, takesChipSeed, type SweepMode, type SweepPoint, type SweepSpec } from './spec.ts';

/** Everything one job needs, as plain data (it crosses to a worker thread): one seed at one set of options. */
export interface SweepJob {
  /** Content hash of what determines the job's result (its file name). */
  readonly key: string;
  readonly preset: string;
  readonly epochs: number;
  readonly seed: number;
  readonly substrate: string;
  /** The substrate options tested (and trained on in the loop), chipSeed included when the substrate has one. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly modes: readonly SweepMode[];
  readonly trainSamples: number | null;
  readonly testSamples: number | null;
  readonly otherChipOffset: number;
}

/** The model trained on `ideal` that `ideal-trained` tests (one per seed, shared by every point). */
export interface BaselineJob {
  readonly key: string;
  readonly preset: string;
  readonly epochs: number;
  readonly seed: number;
  readonly trainSamples: number | null;
}

export const DEFAULT_OTHER_CHIP_OFFSET = 1000;

/** The options of a point for a seed: chipSeed = the seed unless the point sets it (substrates with a chip seed). */
export function jobOptions(spec: SweepSpec, point: SweepPoint, seed: number): Record<string, unknown> {
  const options = { ...point.options };
  if (!Object.hasOwn(options, 'chipSeed') && takesChipSeed(spec.substrate.name)) options.chipSeed = seed;
  return options;
}

/** Option defaults of substrates whose points can be recognised as equal (an option at its default = absent). */
const KNOWN_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  imperfect: DEFAULT_IMPERFECT_OPTIONS as unknown as Readonly<Record<string, unknown>>,
};

/** The options without those at their default, for recognising points that run the same job. */
function withoutDefaults(substrate: string, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const defaults = Object.hasOwn(KNOWN_DEFAULTS, substrate) ? KNOWN_DEFAULTS[substrate] : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (!(Object.hasOwn(defaults, k) && canonicalJson(defaults[k]) === canonicalJson(v))) out[k] = v;
  }
  return out;
}

export function baselineJob(spec: SweepSpec, seed: number): BaselineJob {
  const what = { kind: 'ideal-baseline', preset: spec.preset, epochs: spec.epochs, seed, trainSamples: spec.trainSamples ?? null };
  return { key: `ideal-${contentHash(what)}`, ...what };
}

/**
 * The jobs of a spec, one per (point, seed) in point order then seed order, points with the same effective
 * options sharing one job (e.g. the all-off level of every axis with combine `each`; for `imperfect` an
 * option at its default counts as absent). The job runs with the options of its first point. `pointJobs[p][s]` is the index
 * of the job of point p and seed s.
 */
export function sweepJobs(spec: SweepSpec): { points: SweepPoint[]; jobs: SweepJob[]; pointJobs: number[][] } {
  const points = expandPoints(spec);
  const jobs: SweepJob[] = [];
  const index = new Map<string, number>();
  const pointJobs = points.map((point) =>
    spec.seeds.map((seed) => {
      const what = {
        preset: spec.preset,
        epochs: spec.epochs,
        seed,
        substrate: spec.substrate.name,
        options: jobOptions(spec, point, seed),
        modes: [...spec.modes],
        trainSamples: spec.trainSamples ?? null,
        testSamples: spec.testSamples ?? null,
        otherChipOffset: spec.otherChipOffset ?? DEFAULT_OTHER_CHIP_OFFSET,
      };
      const key = contentHash({ ...what, options: withoutDefaults(spec.substrate.name, what.options) });
      let k = index.get(key);
      if (k === undefined) {
        k = jobs.length;
        index.set(key, k);
        jobs.push({ key, ...what });
      }
      return k;
    }),
  );
  return { points, jobs, pointJobs };
}

/** A shard `index`/`count` (1-based): every job whose position k has k mod count = index - 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The jobs of one shard: a deterministic round-robin share of the job list (the same on every machine). */
export function shardJobs<T>(jobs: readonly T[], shard: Shard | null): T[] {
  if (shard === null) return [...jobs];
  return jobs.filter((_, k) => k % shard.count === shard.index - 1);
}

/** Parses `i/n` (1 <= i <= n); null when the text is not of that form. */
export function parseShard(text: string): Shard | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return null;
  return { index, count };
}
