import { mkdtemp, readdir, readFile, rm, writeFile as realWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../cli/io.ts';
import { loadCheckpoint, saveCheckpoint } from '../plugins/learning/checkpoint.ts';
import { createModel } from '../plugins/learning/experiment.ts';
import { loadModel, saveModel, type ModelMeta } from '../plugins/learning/modelFile.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { runCli } from './helpers/cliRun.ts';

/**
 * Failure injection: while `failing` is set, node:fs/promises' writeFile and rename fail the way a full
 * disk does: writeFile writes the first half of the text, then throws ENOSPC; rename throws EXDEV.
 */
const failing = { writeFile: false, rename: false };
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const error = (code: string): Error => Object.assign(new Error(`${code}: injected failure`), { code });
  return {
    ...fs,
    writeFile: async (path: Parameters<typeof fs.writeFile>[0], data: string | Uint8Array, ...rest: unknown[]) => {
      if (!failing.writeFile) return fs.writeFile(path, data, ...(rest as []));
      await fs.writeFile(path, typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
      throw error('ENOSPC');
    },
    rename: async (from: string, to: string) => {
      if (failing.rename) throw error('EXDEV');
      return fs.rename(from, to);
    },
  };
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firstspike-atomic-'));
});
afterAll(async () => {
  failing.writeFile = failing.rename = false;
  await rm(root, { recursive: true, force: true });
});

/** Runs `write` with each injected failure; the file keeps its old bytes and no temp file is left. */
async function expectUntouchedOnFailure(dir: string, path: string, write: () => Promise<unknown>, error: RegExp): Promise<void> {
  const before = await readFile(path);
  for (const which of ['writeFile', 'rename'] as const) {
    failing[which] = true;
    try {
      await expect(write()).rejects.toThrow(error);
    } finally {
      failing[which] = false;
    }
    expect((await readFile(path)).equals(before), `${path} after a failed ${which}`).toBe(true);
    expect(await readdir(dir), `temp files after a failed ${which}`).toEqual([path.slice(dir.length + 1)]);
  }
}

const META: ModelMeta = {
  preset: 'yinyang',
  training: { seed: 7, epochsDone: 0, substrate: 'ideal', substrateOptions: {}, validationAccuracy: null },
};

describe('atomic writes: a failed write leaves the existing file untouched and no temp file', () => {
  it('model files (saveModel)', async () => {
    const dir = await mkdtemp(join(root, 'model-'));
    const path = join(dir, 'm.json');
    await saveModel(path, createModel(YINYANG_PRESET, 1), META);
    const other = createModel(YINYANG_PRESET, 2);
    await expectUntouchedOnFailure(dir, path, () => saveModel(path, other, META), /ENOSPC|EXDEV/);
    // and the untouched file is still the first model
    expect(Array.from((await loadModel(path)).model.weights[0])).toEqual(Array.from(createModel(YINYANG_PRESET, 1).weights[0]));
  });

  it('checkpoints (saveCheckpoint), from a real training run', async () => {
    const dir = await mkdtemp(join(root, 'ckpt-'));
    const out = join(dir, 'm.json');
    const ckpt = join(dir, 'm.ckpt');
    const r = await runCli(['train', '--preset', 'yinyang', '--epochs', '1', '--train-samples', '60', '--out', out, '--checkpoint', ckpt, '--no-log']);
    expect(r.code, r.err).toBe(0);
    await rm(out);
    const checkpoint = await loadCheckpoint(ckpt);
    const later = { ...checkpoint, state: { ...checkpoint.state, epoch: checkpoint.state.epoch + 1 } };
    await expectUntouchedOnFailure(dir, ckpt, () => saveCheckpoint(ckpt, later), /ENOSPC|EXDEV/);
    expect((await loadCheckpoint(ckpt)).state.epoch).toBe(checkpoint.state.epoch);
  });

  it('CLI outputs (writeFileAtomic, used by simulate, demo and validate): a one-line --out error', async () => {
    const dir = await mkdtemp(join(root, 'cli-'));
    const path = join(dir, 'result.json');
    await realWriteFile(path, '{"old": true}\n');
    await expectUntouchedOnFailure(dir, path, () => writeFileAtomic(path, '{"new": true}\n'), /^--out: cannot write '.*result\.json' \((ENOSPC|EXDEV)(: [a-z ]+)?\)$/);
  });

  it('train --out over an existing model: the failed run exits non-zero and leaves the old model', async () => {
    const dir = await mkdtemp(join(root, 'train-'));
    const out = join(dir, 'm.json');
    await saveModel(out, createModel(YINYANG_PRESET, 3), META);
    const before = await readFile(out);
    failing.writeFile = true;
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(['train', '--preset', 'yinyang', '--epochs', '1', '--train-samples', '30', '--out', out, '--no-checkpoint']);
    } finally {
      failing.writeFile = false;
    }
    expect(r.code).not.toBe(0);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/ENOSPC/);
    expect((await readFile(out)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['m.json']);
  });
});
