import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cliRun.ts';

/*
 * Issue #13: hostile configs from a generator. A valid config gets random JSON values (and a few
 * notorious ones: huge, tiny, subnormal, prototype names, long strings) at random paths, existing or new.
 * Property: `simulate` either runs (exit 0, every number of the result finite) or refuses with exactly one
 * line `firstspike: error: <JSON path or flag>: <reason>` and exit 2, writing nothing. Never a crash
 * (exit 1), a hang (the test's timeout) or a NaN. The limits keep every accepted run small.
 */

type Json = any;

const BASE: Json = {
  seed: 4,
  duration: 30,
  populations: [
    { name: 'noise', type: 'spike_source_poisson', size: 5, rate: 200 },
    { name: 'kick', type: 'spike_source_array', size: 2, spike_times: [[1, 12], [4]] },
    {
      name: 'exc',
      type: 'IF_curr_exp',
      size: 4,
      params: { tau_m: 10, tau_syn_E: 5, tau_syn_I: 5, cm: 0.2, v_rest: -65, v_reset: -70, v_thresh: -55, tau_refrac: 2, i_offset: 0.1 },
      overrides: [{ indices: [1], params: { tau_m: 15 } }],
    },
  ],
  projections: [
    { name: 'drive', source: 'noise', target: 'exc', connector: { type: 'fixed_probability', p_connect: 0.5 }, weight: { distribution: 'normal', mean: 1, std: 0.2 }, delay: 0.5 },
    { name: 'kicks', source: 'kick', target: 'exc', connector: { type: 'all_to_all' }, weight: 2.5, delay: 1 },
    { name: 'rec', source: 'exc', target: 'exc', connector: { type: 'from_list', connections: [[0, 1, -1], [1, 2], [2, 3]] }, weight: 1.5, delay: 1 },
  ],
  record: { spikes: ['kick', 'exc'], v: [{ population: 'exc', indices: [0, 3], dt: 0.5 }] },
};

/** Every path (as a list of keys) to a value inside `value`, the root included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const ALL_PATHS = paths(BASE);

const notorious = fc.constantFrom<Json>(
  0, -0, -1, 1, 0.5, 1e308, -1e308, 5e-324, 1e-320, 1e-12, 5e307, 1e9 + 1, 2 ** 31, 2 ** 53, 1e12, 1e6, -1e6,
  '', 'x'.repeat(5000), '__proto__', 'constructor', 'toString', 'bss2', 'ideal', 'all_to_all', 'IF_curr_exp',
  'spike_source_poisson', 'normal', 'exc', 'noise', true, false, null, [], {}, [[]], [0, 0], [[0, 0, 1e308]],
  { name: 'bss2', checkSize: false }, { __proto__: 1 }, { distribution: 'uniform', low: 1e308, high: -1e308 },
);

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: notorious },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 1e8 }) },
);

interface Mutation {
  readonly path: (string | number)[];
  /** Set this key under the path (a new or existing key) instead of replacing the value at the path. */
  readonly newKey: string | null;
  readonly value: Json;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.constantFrom(...ALL_PATHS),
  newKey: fc.option(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', 'size', 'rate', 'delay', 'weight', 'dt'), fc.string({ maxLength: 8 })), { freq: 4 }),
  value: hostileValue,
});

function apply(config: Json, m: Mutation): Json {
  if (m.path.length === 0) return m.newKey === null ? m.value : config;
  let parent = config;
  for (const key of m.path.slice(0, -1)) {
    // an earlier mutation may have replaced what this path goes through: nothing left to mutate
    if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, key)) return config;
    parent = parent[key];
  }
  if (parent === null || typeof parent !== 'object') return config;
  const last = m.path[m.path.length - 1];
  if (m.newKey !== null) {
    const holder = parent[last];
    if (holder !== null && typeof holder === 'object' && !Array.isArray(holder)) {
      Object.defineProperty(holder, m.newKey, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
  } else parent[last] = m.value;
  return config;
}

/** True when every number anywhere in `value` is finite and no null stands where a number was (NaN). */
function allFinite(value: Json): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

const work = mkdtempSync(join(tmpdir(), 'firstspike-hostile-prop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('issue #13: hostile configs from a generator', () => {
  it('the valid base config runs', async () => {
    const path = join(work, 'base.json');
    writeFileSync(path, JSON.stringify(BASE));
    const r = await runCli(['simulate', path]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).spikes.time_ms.length).toBeGreaterThan(0);
  });

  it('random values at random paths: a clean run or one line naming a path (exit 2), never a crash, hang or NaN', async () => {
    let runs = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const config = mutations.reduce(apply, structuredClone(BASE));
        const dir = join(work, `r${runs++}`);
        const path = `${dir}.json`;
        writeFileSync(path, JSON.stringify(config));
        const out = join(work, `r${runs}.out.json`);
        const r = await runCli(['simulate', path, '--out', out, '--quiet', '--max-memory', '300M', '--max-spikes', '200000']);
        if (r.code === 0) {
          const { readFileSync } = await import('node:fs');
          const result = JSON.parse(readFileSync(out, 'utf8'));
          // NaN and Infinity become null in JSON: the traces and spike times must hold numbers only
          expect(allFinite(result)).toBe(true);
          for (const trace of result.traces ?? []) expect(trace.v_mv.every((v: unknown) => typeof v === 'number')).toBe(true);
          expect(result.spikes.time_ms.every((t: unknown) => typeof t === 'number')).toBe(true);
          rmSync(out);
        } else {
          refused++;
          expect(r.code, r.err).toBe(2);
          expect(r.out).toBe('');
          expect(r.err.endsWith('\n')).toBe(true);
          expect(r.err.trimEnd().split('\n')).toHaveLength(1);
          expect(r.err).toMatch(/^firstspike: error: (\/|--)\S*: \S/);
          expect(readdirSync(work).includes(`r${runs}.out.json`)).toBe(false);
        }
      }),
      { numRuns: 120, seed: 1313 },
    );
    // the generator must exercise both outcomes
    expect(refused).toBeGreaterThan(20);
    expect(runs - refused).toBeGreaterThan(10);
  }, 60_000);
});
