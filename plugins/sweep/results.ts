import type { SweepJob } from './jobs.ts';
import type { JobOutcome } from './runJob.ts';
import type { SweepMode, SweepPoint, SweepSpec } from './spec.ts';

/** What a finished job's file holds (DIR/points/<key>.json): the outcome and its provenance. */
export interface JobFile extends JobOutcome {
  readonly format: 'firstspike.sweep-job';
  readonly spec_hash: string;
  readonly package_version: string;
  readonly node_version: string;
  readonly job: SweepJob;
}

/**
 * One row of the results table (the sweep results contract shared with `firstspike plot sweep`): the
 * point, the mode, the seed and the test accuracy (fraction), then the other figures and the provenance.
 */
export interface SweepRow {
  readonly point: Readonly<Record<string, unknown>>;
  readonly mode: SweepMode;
  readonly seed: number;
  readonly test_accuracy: number;
  /** With combine `each`: the axis varied at this point; null for `product`. */
  readonly axis: string | null;
  readonly test_loss: number;
  readonly test_silent_fraction: number;
  readonly validation_accuracy: number | null;
  readonly preset: string;
  readonly epochs: number;
  readonly train_samples: number | null;
  readonly test_samples: number | null;
  readonly substrate: string;
  /** Substrate the model was trained on (`ideal` for ideal-trained) and its options. */
  readonly train_substrate: string;
  readonly train_options: Readonly<Record<string, unknown>>;
  /** Options of the substrate tested on (chipSeed included). */
  readonly substrate_options: Readonly<Record<string, unknown>>;
  readonly spec_hash: string;
  readonly package_version: string;
  readonly node_version: string;
  readonly job: string;
  /** Wall time of the whole job (every mode of this point and seed), seconds. */
  readonly wall_time_s: number;
}

/** The results document (results.json). */
export interface SweepResults {
  readonly format: 'firstspike.sweep-results';
  readonly spec_hash: string;
  readonly axes: readonly string[];
  readonly rows: readonly SweepRow[];
  readonly spec: SweepSpec;
}

/** The rows of every point, seed and mode (in that order) from the finished job files. */
export function resultRows(points: readonly SweepPoint[], pointJobs: readonly number[][], files: readonly JobFile[]): SweepRow[] {
  const rows: SweepRow[] = [];
  points.forEach((point, p) => {
    pointJobs[p].forEach((j) => {
      const f = files[j];
      const job = f.job;
      for (const r of f.results) {
        rows.push({
          point: point.point,
          mode: r.mode,
          seed: f.seed,
          test_accuracy: r.testAccuracy,
          axis: point.axis,
          test_loss: r.testLoss,
          test_silent_fraction: r.testSilentFraction,
          validation_accuracy: r.validationAccuracy,
          preset: job.preset,
          epochs: job.epochs,
          train_samples: job.trainSamples,
          test_samples: job.testSamples,
          substrate: job.substrate,
          train_substrate: r.trainSubstrate,
          train_options: r.trainOptions,
          substrate_options: r.testOptions,
          spec_hash: f.spec_hash,
          package_version: f.package_version,
          node_version: f.node_version,
          job: f.key,
          wall_time_s: f.wallTimeS,
        });
      }
    });
  });
  return rows;
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV: one column per axis, then the row fields (objects as JSON). */
export function resultsCsv(axes: readonly string[], rows: readonly SweepRow[]): string {
  const fields = [
    'mode',
    'seed',
    'test_accuracy',
    'axis',
    'test_loss',
    'test_silent_fraction',
    'validation_accuracy',
    'preset',
    'epochs',
    'train_samples',
    'test_samples',
    'substrate',
    'train_substrate',
    'train_options',
    'substrate_options',
    'spec_hash',
    'package_version',
    'node_version',
    'job',
    'wall_time_s',
  ] as const;
  const lines = [[...axes, ...fields].map(csvField).join(',')];
  for (const row of rows) {
    lines.push([...axes.map((a) => (Object.hasOwn(row.point, a) ? row.point[a] : null)), ...fields.map((f) => row[f])].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
