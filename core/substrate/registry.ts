import type { Substrate } from './substrate.ts';

/**
 * The registry lives on `globalThis` under a `Symbol.for` key, so that every copy of this module in a
 * process shares it: the compiled package and its TypeScript sources, two installed copies of firstspike,
 * and a plugin that imports firstspike from somewhere else.
 */
const REGISTRY_KEY = Symbol.for('firstspike.substrateRegistry');
const registryHolder = globalThis as typeof globalThis & { [REGISTRY_KEY]?: Map<string, Substrate> };
const substrates: Map<string, Substrate> = (registryHolder[REGISTRY_KEY] ??= new Map<string, Substrate>());

/**
 * Makes a substrate available by name to configs, the CLI and `simulate`. A third-party package calls
 * this with its own substrate; nothing in core/ needs to change. Registering a taken name throws unless
 * `replace` is set.
 */
export function registerSubstrate<C>(substrate: Substrate<C>, options: { replace?: boolean } = {}): void {
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(substrate.name)) {
    throw new Error(`substrate name '${substrate.name}' is not a valid identifier`);
  }
  if (substrates.has(substrate.name) && options.replace !== true) {
    throw new Error(`substrate '${substrate.name}' is already registered`);
  }
  substrates.set(substrate.name, substrate as Substrate);
}

/** Removes a substrate from the registry (for tests and plugins that unload). */
export function unregisterSubstrate(name: string): boolean {
  return substrates.delete(name);
}

/** The substrate registered under `name`; throws naming the known ones if there is none. */
export function getSubstrate(name: string): Substrate {
  const s = substrates.get(name);
  if (s === undefined) {
    throw new Error(`unknown substrate '${name}' (known: ${substrateNames().join(', ') || 'none'})`);
  }
  return s;
}

/** Names of all registered substrates, sorted. */
export function substrateNames(): string[] {
  return [...substrates.keys()].sort();
}
