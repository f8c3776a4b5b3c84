import { ConfigError } from '../../config/configError.ts';
import { DelayResolutionError, NonFiniteStateError, SpikeLimitError } from '../runLimits.ts';
import { PartAbortedError } from './windowExchange.ts';

/** An error of a part, as it crosses from a worker to the caller (structured cloning drops classes). */
export type PartError =
  | { readonly kind: 'spikeLimit'; readonly limit: number; readonly population: string; readonly timeMs: number }
  | { readonly kind: 'nonFinite'; readonly populationIndex: number; readonly population: string; readonly neuron: number; readonly timeMs: number }
  | { readonly kind: 'delayResolution'; readonly projectionIndex: number; readonly delayMs: number; readonly timeMs: number }
  | { readonly kind: 'config'; readonly path: string; readonly reason: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly stack: string | undefined };

/** The error thrown in a part; neuron indices within the part's slice become indices in the whole population. */
export function partErrorOf(error: unknown, ownedFirst: Int32Array): PartError {
  if (error instanceof SpikeLimitError) return { kind: 'spikeLimit', limit: error.limit, population: error.population, timeMs: error.timeMs };
  if (error instanceof NonFiniteStateError) {
    const { populationIndex, population, timeMs } = error;
    return { kind: 'nonFinite', populationIndex, population, neuron: error.neuron + ownedFirst[populationIndex], timeMs };
  }
  if (error instanceof DelayResolutionError) {
    return { kind: 'delayResolution', projectionIndex: error.projectionIndex, delayMs: error.delayMs, timeMs: error.timeMs };
  }
  if (error instanceof ConfigError) return { kind: 'config', path: error.path, reason: error.reason };
  if (error instanceof PartAbortedError) return { kind: 'aborted' };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', name: e.name, message: e.message, stack: e.stack };
}

/** The error as the one-thread run would have thrown it (same class and message). */
export function errorOfPart(error: PartError): Error {
  switch (error.kind) {
    case 'spikeLimit':
      return new SpikeLimitError(error.limit, error.population, error.timeMs);
    case 'nonFinite':
      return new NonFiniteStateError(error.populationIndex, error.population, error.neuron, error.timeMs);
    case 'delayResolution':
      return new DelayResolutionError(error.projectionIndex, error.delayMs, error.timeMs);
    case 'config':
      return new ConfigError(error.path, error.reason);
    case 'aborted':
      return new PartAbortedError();
    case 'other': {
      const e = new Error(error.message);
      e.name = error.name;
      if (error.stack !== undefined) e.stack = error.stack;
      return e;
    }
  }
}
