import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { EpochReport } from './trainer.ts';

/**
 * The per-epoch training log: one JSON object per line (JSON Lines), written and flushed after every
 * epoch, so a crashed or running training can be plotted (`firstspike plot training`).
 *
 *     {"format":"firstspike.epoch","preset":"yinyang","substrate":"ideal","seed":1,"epoch":1,"epochs":300,
 *      "train_loss":0.93,"train_accuracy":0.41,"validation_loss":0.88,"validation_accuracy":0.47,
 *      "learning_rate":0.001,"bumped_batches":3,"silent_fractions":[0.1,0.02],"selected_epoch":1,"seconds":0.52}
 *
 * `silent_fractions`: per non-input layer, the fraction of the epoch's (training sample, neuron) pairs with
 * no spike. `selected_epoch`: with model selection (keepBest), the epoch selected so far, else null.
 * `validation_*` are null when the run has no validation split.
 */
export const EPOCH_LOG_FORMAT = 'firstspike.epoch';

export interface EpochLogRecord {
  readonly format: typeof EPOCH_LOG_FORMAT;
  readonly preset: string;
  readonly substrate: string;
  readonly seed: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly train_loss: number | null;
  readonly train_accuracy: number;
  readonly validation_loss: number | null;
  readonly validation_accuracy: number | null;
  readonly learning_rate: number;
  readonly bumped_batches: number;
  readonly silent_fractions: number[];
  readonly selected_epoch: number | null;
  readonly seconds: number;
}

/** What names the run in every line (so several logs can be overlaid and told apart). */
export interface EpochLogRun {
  readonly preset: string;
  readonly substrate: string;
  readonly seed: number;
  readonly epochs: number;
}

/** JSON has no Infinity/NaN: a non-finite loss is written as null. */
function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

export function epochLogRecord(run: EpochLogRun, r: EpochReport): EpochLogRecord {
  return {
    format: EPOCH_LOG_FORMAT,
    preset: run.preset,
    substrate: run.substrate,
    seed: run.seed,
    epoch: r.epoch,
    epochs: run.epochs,
    train_loss: finiteOrNull(r.trainLoss),
    train_accuracy: r.trainAccuracy,
    validation_loss: finiteOrNull(r.validation?.loss),
    validation_accuracy: r.validation?.accuracy ?? null,
    learning_rate: r.learningRate,
    bumped_batches: r.bumpedBatches,
    silent_fractions: r.silentFractions,
    selected_epoch: r.bestEpoch,
    seconds: Math.round(r.seconds * 1000) / 1000,
  };
}

/** An error in a log file's content: `line` is 1-based. */
export class EpochLogError extends Error {}

const NUMBER_OR_NULL = ['train_loss', 'validation_loss', 'validation_accuracy', 'selected_epoch'] as const;
const NUMBERS = ['seed', 'epoch', 'epochs', 'train_accuracy', 'learning_rate', 'bumped_batches', 'seconds'] as const;

/** Parses and checks a log's text; blank lines are skipped. Throws EpochLogError naming the line. */
export function parseEpochLog(text: string): EpochLogRecord[] {
  const records: EpochLogRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new EpochLogError(`${where}: not JSON (expected a training log, one JSON object per epoch as written by 'firstspike train')`);
    }
    if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== EPOCH_LOG_FORMAT) {
      throw new EpochLogError(`${where}: not a training log line (expected {"format": "${EPOCH_LOG_FORMAT}", ...} as written by 'firstspike train')`);
    }
    const o = value as Record<string, unknown>;
    for (const k of NUMBERS) {
      if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new EpochLogError(`${where}: '${k}' must be a number`);
    }
    for (const k of NUMBER_OR_NULL) {
      if (o[k] !== null && (typeof o[k] !== 'number' || !Number.isFinite(o[k]))) throw new EpochLogError(`${where}: '${k}' must be a number or null`);
    }
    if (typeof o.preset !== 'string' || typeof o.substrate !== 'string') throw new EpochLogError(`${where}: 'preset' and 'substrate' must be strings`);
    if (!Array.isArray(o.silent_fractions) || !o.silent_fractions.every((x) => typeof x === 'number')) {
      throw new EpochLogError(`${where}: 'silent_fractions' must be an array of numbers`);
    }
    records.push(o as unknown as EpochLogRecord);
  }
  return records;
}

/**
 * Appends one line per epoch to a log file, flushed to disk before the next epoch starts.
 * `startAfterEpoch` > 0 (a resumed run) keeps the file's lines of epochs up to it and drops later ones
 * (those of the interrupted run after its last checkpoint, which the resumed run redoes); 0 starts afresh.
 */
export class EpochLogWriter {
  private constructor(readonly path: string) {}

  static async open(path: string, startAfterEpoch: number): Promise<EpochLogWriter> {
    let kept = '';
    if (startAfterEpoch > 0) {
      const text = await readFile(path, 'utf8').catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
        throw error;
      });
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        let epoch = NaN;
        try {
          epoch = (JSON.parse(line) as { epoch?: number }).epoch ?? NaN;
        } catch {
          // a line cut off by a crash: dropped
        }
        if (epoch <= startAfterEpoch) kept += `${line}\n`;
      }
    }
    const temp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temp, kept);
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return new EpochLogWriter(path);
  }

  async append(record: EpochLogRecord): Promise<void> {
    const handle = await open(this.path, 'a');
    try {
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}
