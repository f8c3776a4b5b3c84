import { ConfigError } from '../../core/config/configError.ts';
import type { LayeredModel } from './model.ts';
import {
  ajvError,
  checkFinite,
  checkFormat,
  checkLikeWeights,
  compileSchema,
  formatDocument,
  modelFromDocument,
  modelToDocument,
  readJsonFile,
  writeTextAtomic,
  type ModelMeta,
} from './modelFile.ts';
import type { TrainState } from './trainer.ts';

/**
 * A training checkpoint: the model after a whole epoch (as a model-file document, whose `training`
 * record names the preset, seed, substrate and its options), the run's settings, and the trainer's
 * `TrainState` (epoch and batch counters, Adam's step and moments).
 *
 *     {"format": "firstspike.checkpoint", "version": 1,
 *      "model": {<model file document>},
 *      "run": {"epochs": 300, "train_samples": null, "data_dir": null},
 *      "state": {"epoch": 2, "batch": 68, "adam_step": 68, "adam_m": [[...], ...], "adam_v": [[...], ...],
 *                "best": {"epoch": 2, "validation_accuracy": 0.61, "weights": [[...], ...]}}}   (best: with keepBest)
 *
 * The trainer derives each epoch's shuffle and input noise from (seed, epoch) and each batch's substrate
 * trial from the batch counter, so continuing from a checkpoint gives bit-identical weights to a run that
 * was never interrupted (doubles round-trip exactly through the JSON text).
 */
export const CHECKPOINT_FORMAT = 'firstspike.checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Settings of the run that a resumed run must keep to reproduce it (besides those in the model's meta). */
export interface RunSettings {
  /** Total epochs the run was asked for. */
  readonly epochs: number;
  /** The first N training samples were used; null for all. */
  readonly trainSamples: number | null;
  /** MNIST IDX directory; null for the built-in data. */
  readonly dataDir: string | null;
  /** The validation split was kept apart although the preset trains on it (`trainingSets`); absent = false. */
  readonly holdOutValidation?: boolean;
}

export interface Checkpoint {
  readonly model: LayeredModel;
  readonly meta: ModelMeta;
  readonly run: RunSettings;
  readonly state: TrainState;
}

const NUMBER_ARRAYS = { type: 'array', items: { type: 'array', items: { type: 'number' } } } as const;

/** JSON Schema (draft-07) of a checkpoint; `model` is checked against the model file's schema. */
export const CHECKPOINT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'firstspike training checkpoint',
  type: 'object',
  required: ['format', 'version', 'model', 'run', 'state'],
  additionalProperties: false,
  properties: {
    format: { const: CHECKPOINT_FORMAT },
    version: { const: CHECKPOINT_VERSION },
    model: { type: 'object' },
    run: {
      type: 'object',
      required: ['epochs', 'train_samples', 'data_dir'],
      additionalProperties: false,
      properties: {
        epochs: { type: 'integer', minimum: 1 },
        train_samples: { type: ['integer', 'null'], minimum: 1 },
        data_dir: { type: ['string', 'null'] },
        hold_out_validation: { type: 'boolean' },
      },
    },
    state: {
      type: 'object',
      required: ['epoch', 'batch', 'adam_step', 'adam_m', 'adam_v'],
      additionalProperties: false,
      properties: {
        epoch: { type: 'integer', minimum: 0 },
        batch: { type: 'integer', minimum: 0 },
        adam_step: { type: 'integer', minimum: 0 },
        adam_m: NUMBER_ARRAYS,
        adam_v: NUMBER_ARRAYS,
        best: {
          type: ['object', 'null'],
          required: ['epoch', 'validation_accuracy', 'weights'],
          additionalProperties: false,
          properties: {
            epoch: { type: 'integer', minimum: 1 },
            validation_accuracy: { type: 'number', minimum: 0, maximum: 1 },
            weights: NUMBER_ARRAYS,
          },
        },
      },
    },
  },
} as const;

/** The JSON document of a checkpoint. */
export function checkpointToDocument(checkpoint: Checkpoint): Record<string, unknown> {
  const { model, meta, run, state } = checkpoint;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: modelToDocument(model, meta),
    run: { epochs: run.epochs, train_samples: run.trainSamples, data_dir: run.dataDir, ...(run.holdOutValidation === true && { hold_out_validation: true }) },
    state: {
      epoch: state.epoch,
      batch: state.batch,
      adam_step: state.adamStep,
      adam_m: state.adamM.map((a) => Array.from(a)),
      adam_v: state.adamV.map((a) => Array.from(a)),
      ...(state.best != null && {
        best: {
          epoch: state.best.epoch,
          validation_accuracy: state.best.validationAccuracy,
          weights: state.best.weights.map((a) => Array.from(a)),
        },
      }),
    },
  };
}

/** Validates a parsed checkpoint document; problems are ConfigErrors `<JSON path>: <reason>`. */
export function checkpointFromDocument(doc: unknown): Checkpoint {
  checkFormat(doc, '/', CHECKPOINT_FORMAT, CHECKPOINT_VERSION, 'firstspike checkpoint');
  checkFinite(doc, '/');
  const validate = compileSchema(CHECKPOINT_SCHEMA);
  if (!validate(doc)) throw ajvError(validate.errors, '/');
  const d = doc as {
    model: unknown;
    run: { epochs: number; train_samples: number | null; data_dir: string | null; hold_out_validation?: boolean };
    state: {
      epoch: number;
      batch: number;
      adam_step: number;
      adam_m: number[][];
      adam_v: number[][];
      best?: { epoch: number; validation_accuracy: number; weights: number[][] } | null;
    };
  };
  const { model, meta } = modelFromDocument(d.model, '/model');
  checkLikeWeights(model, d.state.adam_m, '/state/adam_m');
  checkLikeWeights(model, d.state.adam_v, '/state/adam_v');
  if (d.state.epoch !== meta.training.epochsDone) {
    throw new ConfigError('/state/epoch', `must equal /model/training/epochs_done (${meta.training.epochsDone}), got ${d.state.epoch}`);
  }
  if (d.state.epoch > d.run.epochs) {
    throw new ConfigError('/state/epoch', `must not exceed /run/epochs (${d.run.epochs}), got ${d.state.epoch}`);
  }
  const best = d.state.best ?? null;
  if (best !== null) {
    checkLikeWeights(model, best.weights, '/state/best/weights');
    if (best.epoch > d.state.epoch) {
      throw new ConfigError('/state/best/epoch', `must not exceed /state/epoch (${d.state.epoch}), got ${best.epoch}`);
    }
  }
  if (d.state.adam_step > d.state.batch) {
    throw new ConfigError('/state/adam_step', `must not exceed /state/batch (${d.state.batch}), got ${d.state.adam_step}`);
  }
  return {
    model,
    meta,
    run: { epochs: d.run.epochs, trainSamples: d.run.train_samples, dataDir: d.run.data_dir, holdOutValidation: d.run.hold_out_validation === true },
    state: {
      epoch: d.state.epoch,
      batch: d.state.batch,
      adamStep: d.state.adam_step,
      adamM: d.state.adam_m.map((a) => Float64Array.from(a)),
      adamV: d.state.adam_v.map((a) => Float64Array.from(a)),
      best:
        best === null
          ? null
          : { epoch: best.epoch, validationAccuracy: best.validation_accuracy, weights: best.weights.map((a) => Float64Array.from(a)) },
    },
  };
}

/** Writes a checkpoint atomically (temp file + rename). */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeTextAtomic(path, `${formatDocument(checkpointToDocument(checkpoint))}\n`);
}

/** Loads and validates a checkpoint file. */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  return checkpointFromDocument(await readJsonFile(path));
}
