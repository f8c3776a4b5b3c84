import { ConfigError } from '../config/configError.ts';

/**
 * Why a run stopped early. Both are the input's fault (exit 2 in the CLI), found only while running.
 */

/** More spikes than the run's spike limit: a network this active would exhaust memory or never end. */
export class SpikeLimitError extends Error {
  constructor(
    readonly limit: number,
    readonly population: string,
    readonly timeMs: number,
  ) {
    super(
      `more than ${limit} spikes by t = ${timeMs} ms (the last from population '${population}'); ` +
        'a run this active would exhaust memory',
    );
    this.name = 'SpikeLimitError';
  }
}

/**
 * The state of a neuron became NaN or infinite (parameters or weights so extreme that the exact solution
 * overflows). Reported at the population's config path, `/populations/<index>`.
 */
export class NonFiniteStateError extends ConfigError {
  constructor(
    readonly populationIndex: number,
    readonly population: string,
    readonly neuron: number,
    readonly timeMs: number,
  ) {
    super(
      `/populations/${populationIndex}`,
      `neuron ${neuron} of population '${population}' reached a non-finite state (NaN or infinite V or current) ` +
        `at t = ${timeMs} ms: its parameters or input weights are too extreme for double precision`,
    );
    this.name = 'NonFiniteStateError';
  }
}

/**
 * The run reached a time at which its window (the smallest positive delay between LIF populations) is
 * below the resolution of doubles, so time could not advance. Reported at that projection's delay.
 */
export class DelayResolutionError extends ConfigError {
  constructor(
    readonly projectionIndex: number,
    readonly delayMs: number,
    readonly timeMs: number,
  ) {
    super(
      `/projections/${projectionIndex}/delay`,
      `the delay of ${delayMs} ms is below the resolution of double-precision time at t = ${timeMs} ms ` +
        '(activity continues that late); use a longer delay or a shorter duration',
    );
    this.name = 'DelayResolutionError';
  }
}

/** A run that the threaded engine cannot split over threads (thrown before any thread starts). */
export class ThreadsRefusedError extends Error {
  constructor(
    readonly threads: number,
    readonly reason: string,
  ) {
    super(`cannot run on ${threads} threads: ${reason}`);
    this.name = 'ThreadsRefusedError';
  }
}
