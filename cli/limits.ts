import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import {
  DEFAULT_MAX_SPIKES,
  defaultMaxMemoryBytes,
  formatBytes,
  type ResourceLimits,
} from '../core/config/index.ts';
import { UsageError } from './io.ts';

/*
 * Option parsing for the resource limits, shared by the commands that build networks (simulate, demo)
 * and by train (threads): --max-memory, --max-spikes, --threads with --force-threads.
 * docs/config.md ("Limits") lists them.
 */

const UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
};

/** `--max-memory`: bytes, with an optional unit (k, M, G, T decimal; Ki, Mi, Gi, Ti binary; B optional). */
export function memorySizeOption(text: string, flag = '--max-memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]i?)?b?\s*$/i.exec(text);
  const bytes = m === null ? NaN : Number(m[1]) * UNIT_BYTES[(m[2] ?? '').toLowerCase()];
  if (!(bytes >= 1) || !Number.isFinite(bytes)) {
    throw new UsageError(`${flag}: must be a size such as 512M, 8G or 2GiB (got '${text}')`);
  }
  return Math.floor(bytes);
}

/** `--max-spikes`: a whole number >= 1 (1e8 notation allowed). */
export function spikeCountOption(text: string, flag = '--max-spikes'): number {
  const value = /^\s*\d+(?:\.\d+)?(?:e\d+)?\s*$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${flag}: must be a whole number >= 1 such as 20000000 or 2e7 (got '${text}')`);
  }
  return value;
}

/** Adds --max-memory and --max-spikes to a command. */
export function addLimitOptions(command: Command): Command {
  return command
    .option(
      '--max-memory <size>',
      `refuse configs estimated to need more memory than this (default: ${formatBytes(defaultMaxMemoryBytes())}, half the machine's memory, at most the JS heap limit)`,
    )
    .option('--max-spikes <n>', `stop a run that generates or emits more spikes than this (default ${DEFAULT_MAX_SPIKES})`);
}

/** The limits given by --max-memory / --max-spikes (defaults for the ones not given). */
export function resourceLimitsOption(opts: { maxMemory?: string; maxSpikes?: string }): ResourceLimits {
  return {
    maxMemoryBytes: opts.maxMemory === undefined ? defaultMaxMemoryBytes() : memorySizeOption(opts.maxMemory),
    maxSpikes: opts.maxSpikes === undefined ? DEFAULT_MAX_SPIKES : spikeCountOption(opts.maxSpikes),
    memoryHint: 'raise it with --max-memory',
    spikesHint: 'raise it with --max-spikes',
  };
}

/** Hard upper bound on --threads even when forced (worker start-up and memory per thread). */
export const MAX_FORCED_THREADS = 256;

/**
 * `--threads`: a whole number >= 1, at most the number of cores available to this process
 * (os.availableParallelism()) unless `force` (--force-threads) is set: more threads than cores only add
 * memory and start-up time.
 */
export function threadsOption(text: string | undefined, force: boolean, cores = availableParallelism()): number {
  if (text === undefined) return 1;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_FORCED_THREADS) {
    throw new UsageError(`--threads: must be a whole number from 1 to ${MAX_FORCED_THREADS} (got '${text}')`);
  }
  if (value > cores && !force) {
    throw new UsageError(
      `--threads: ${value} is more than the ${cores} core${cores === 1 ? '' : 's'} available (os.availableParallelism()); ` +
        'more threads only cost memory and time; add --force-threads to use them anyway',
    );
  }
  return value;
}
