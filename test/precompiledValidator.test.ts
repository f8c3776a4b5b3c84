/**
 * The build replaces the run-time compile of the config schema by ajv standalone code (scripts/build.mjs,
 * dist/core/config/configValidator.precompiled.cjs). The compiled package must reject exactly what the
 * sources reject, with the same one-line messages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, buildSimulation, substrateNames } from '../index.ts';
import { PRECOMPILED_VALIDATOR_FILE } from '../core/config/schemaValidator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
type Json = any; // configs are mutated freely below

const chain = (): Json => JSON.parse(readFileSync(join(ROOT, 'examples', 'chain.json'), 'utf8'));

/** Bad configs: each breaks the schema (or a check after it) in another way. */
const BAD: readonly [string, (c: Json) => void][] = [
  ['missing duration', (c) => delete c.duration],
  ['unknown top-level key', (c) => (c.extra = 1)],
  ['duration as a string', (c) => (c.duration = '50')],
  ['duration zero', (c) => (c.duration = 0)],
  ['negative seed', (c) => (c.seed = -1)],
  ['unknown population type', (c) => (c.populations[0].type = 'IF_cond_exp')],
  ['population without a name', (c) => delete c.populations[1].name],
  ['size 0', (c) => (c.populations[1].size = 0)],
  ['size fractional', (c) => (c.populations[1].size = 2.5)],
  ['unknown neuron parameter', (c) => (c.populations[1].params.tau_x = 1)],
  ['parameter as a string', (c) => (c.populations[1].params.tau_m = 'ten')],
  ['tau_m zero', (c) => (c.populations[1].params.tau_m = 0)],
  ['spike times as a string', (c) => (c.populations[0].spike_times = 'soon')],
  ['unknown connector type', (c) => (c.projections[0].connector.type = 'one_to_all')],
  ['connector without type', (c) => delete c.projections[0].connector.type],
  ['from_list entry of one number', (c) => (c.projections[1].connector.connections = [[0]])],
  ['weight as an object of unknown kind', (c) => (c.projections[1].weight = { distribution: 'cauchy' })],
  ['negative delay', (c) => (c.projections[1].delay = -1)],
  ['unknown substrate', (c) => (c.substrate = 'nope')],
  ['substrate object without name', (c) => (c.substrate = { chipSeed: 1 })],
  ['record of an unknown population', (c) => (c.record.spikes = ['nobody'])],
  ['trace dt as a string', (c) => (c.record.v[0].dt = 'fast')],
  ['not an object', (c) => (c.populations = 'none')],
];

function message(build: (config: unknown) => unknown, config: unknown): string {
  try {
    build(config);
    return 'accepted';
  } catch (error) {
    return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
  }
}

describe('precompiled config validator (dist/)', () => {
  it('exists in dist/ after the build', () => {
    expect(existsSync(join(ROOT, 'dist', 'core', 'config', PRECOMPILED_VALIDATOR_FILE))).toBe(true);
  });

  it('gives the messages of the run-time compiled schema on bad configs, and accepts the examples', async () => {
    const dist = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../index.ts');
    const viaSources = (c: unknown) => buildSimulation(c as never, { knownSubstrates: substrateNames() });
    const viaDist = (c: unknown) => dist.buildSimulation(c as never, { knownSubstrates: dist.substrateNames() });
    let rejected = 0;
    for (const [what, mutate] of BAD) {
      const config = chain();
      mutate(config);
      const expected = message(viaSources, config);
      expect(message(viaDist, config), what).toBe(expected);
      if (expected.startsWith(`${ConfigError.name}:`)) rejected++;
    }
    expect(rejected).toBe(BAD.length); // every case is a bad config, so the comparison means something
    for (const name of ['chain.json', 'balanced.json', 'poisson-input.json']) {
      const config = JSON.parse(readFileSync(join(ROOT, 'examples', name), 'utf8'));
      expect(message(viaDist, config), name).toBe('accepted');
    }
  });
});
