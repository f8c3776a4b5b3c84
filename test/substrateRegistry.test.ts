/**
 * A third party adds a substrate from its own module, using only the public API (`firstspike`, here
 * ../index.ts, and `firstspike/testing`): nothing in core/ changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  buildSimulation,
  copyLifParamArrays,
  firstCrossingTime,
  getSubstrate,
  lifDynamics,
  registerSubstrate,
  simulate,
  substrateNames,
  unregisterSubstrate,
  type LifConstants,
  type LifParams,
  type Network,
  type Substrate,
} from '../index.ts';
import { substrateConformance } from '../testing/vitest.ts';
// independent check of the expected spike times: the Lambert W closed form (not part of the public API)
import { closedFormFirstSpikeTime } from '../core/closedForm/firstSpikeTime.ts';

// ---- the third party's module -------------------------------------------------------------------------

/** Options of the `hotter` substrate. */
interface HotterOptions {
  /** How far every threshold is lowered (mV, finite, >= 0). Default 0. */
  readonly deltaMv: number;
}

function hotterOptions(options: Readonly<Record<string, unknown>>): HotterOptions {
  for (const key of Object.keys(options)) {
    if (key !== 'deltaMv') throw new Error(`/substrate/${key}: unknown option for substrate 'hotter' (allowed: deltaMv)`);
  }
  const delta = options.deltaMv ?? 0;
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta < 0) {
    throw new Error(`/substrate/deltaMv: must be a finite number >= 0 (got ${JSON.stringify(delta)})`);
  }
  return { deltaMv: delta };
}

/** The ideal dynamics with every LIF neuron's threshold lowered by `deltaMv`. */
const hotterSubstrate: Substrate<LifConstants> = {
  name: 'hotter',
  description: 'ideal dynamics, every threshold lowered by deltaMv',
  validateOptions(options) {
    hotterOptions(options);
  },
  realise(network, context): Network {
    const { deltaMv } = hotterOptions(context.options);
    return {
      ...network,
      populations: network.populations.map((p) => {
        if (p.kind !== 'lif') return p;
        const params = copyLifParamArrays(p.params);
        for (let j = 0; j < params.size; j++) params.vThreshMv[j] -= deltaMv;
        return { ...p, params };
      }),
    };
  },
  dynamics: lifDynamics,
};

// ---- the tests ---------------------------------------------------------------------------------------

const params: LifParams = {
  tauMemMs: 10,
  tauSynExcMs: 10,
  tauSynInhMs: 10,
  capacitanceNf: 0.25,
  vRestMv: -65,
  vResetMv: -65,
  vThreshMv: -55,
  tauRefracMs: 2,
  iOffsetNa: 0,
};
const INPUT_MS = 2;
const DELAY_MS = 0.5;
const WEIGHT_NA = 1.2;

/** One input spike at 2 ms through 1.2 nA (delay 0.5 ms) into one neuron: tau_m = tau_s, so the Lambert W closed form applies. */
function config(substrate: unknown): unknown {
  return {
    seed: 3,
    duration: 30,
    substrate,
    populations: [
      { name: 'in', type: 'spike_source_array', size: 1, spike_times: [[INPUT_MS]] },
      {
        name: 'n',
        type: 'IF_curr_exp',
        size: 1,
        params: { tau_m: 10, tau_syn_E: 10, tau_syn_I: 10, cm: 0.25, v_rest: -65, v_reset: -65, v_thresh: -55, tau_refrac: 2 },
      },
    ],
    projections: [
      { name: 'kick', source: 'in', target: 'n', connector: { type: 'from_list', connections: [[0, 0, WEIGHT_NA]] }, delay: DELAY_MS },
    ],
  };
}

function firstSpikeMs(spec: ReturnType<typeof buildSimulation>): number {
  const result = simulate(spec);
  const k = result.spikes.population.findIndex((p) => p === 1);
  return k < 0 ? Infinity : result.spikes.timeMs[k];
}

/** What the package registers by itself (ideal, and whatever else index.ts ships). */
const builtIn = substrateNames();

afterEach(() => {
  unregisterSubstrate('hotter');
});

describe('a third-party substrate through the registry', () => {
  it('a config naming it builds and simulates (registry lookup), firing earlier by the expected amount', () => {
    registerSubstrate(hotterSubstrate);
    expect(builtIn).toContain('ideal');
    expect(substrateNames()).toEqual([...builtIn, 'hotter'].sort());
    const hot = firstSpikeMs(buildSimulation(config({ name: 'hotter', deltaMv: 0.2 }), { knownSubstrates: substrateNames() }));
    const ideal = firstSpikeMs(buildSimulation(config('ideal'), { knownSubstrates: substrateNames() }));

    // expected, independently: the neuron at rest receives 1.2 nA at 2.5 ms
    const arrival = INPUT_MS + DELAY_MS;
    const rest = { vMv: -65, iExcNa: WEIGHT_NA, iInhNa: 0, refractoryLeftMs: 0 };
    const lowered = { ...params, vThreshMv: params.vThreshMv - 0.2 };
    const expectedHot = arrival + firstCrossingTime(rest, lowered, 100);
    const expectedIdeal = arrival + firstCrossingTime(rest, params, 100);
    const closedHot = closedFormFirstSpikeTime(lowered, [arrival], [WEIGHT_NA]).timeMs;
    const closedIdeal = closedFormFirstSpikeTime(params, [arrival], [WEIGHT_NA]).timeMs;

    expect(hot).toBeCloseTo(expectedHot, 12);
    expect(ideal).toBeCloseTo(expectedIdeal, 12);
    expect(closedHot).not.toBeNull();
    expect(Math.abs(hot - closedHot!)).toBeLessThan(1e-9);
    expect(Math.abs(ideal - closedIdeal!)).toBeLessThan(1e-9);
    expect(ideal - hot).toBeGreaterThan(0.01); // earlier, by a visible amount
    expect(ideal - hot).toBeCloseTo(closedIdeal! - closedHot!, 9);
  });

  it('its options are validated when the run starts: an unknown option names /substrate/<key>', () => {
    registerSubstrate(hotterSubstrate);
    const typo = buildSimulation(config({ name: 'hotter', deltaMV: 0.2 }), { knownSubstrates: substrateNames() });
    expect(typo.substrate).toEqual({ name: 'hotter', options: { deltaMV: 0.2 } }); // passed through by the loader
    expect(() => simulate(typo)).toThrow(/^\/substrate\/deltaMV: unknown option for substrate 'hotter'/);
    const negative = buildSimulation(config({ name: 'hotter', deltaMv: -1 }), { knownSubstrates: substrateNames() });
    expect(() => simulate(negative)).toThrow(/^\/substrate\/deltaMv: must be a finite number >= 0/);
  });

  it('registering a taken name throws unless replace is set', () => {
    registerSubstrate(hotterSubstrate);
    expect(() => registerSubstrate(hotterSubstrate)).toThrow(/substrate 'hotter' is already registered/);
    expect(() => registerSubstrate({ ...hotterSubstrate, name: 'ideal' })).toThrow(/'ideal' is already registered/);
    expect(() => registerSubstrate(hotterSubstrate, { replace: true })).not.toThrow();
    expect(getSubstrate('hotter')).toBe(hotterSubstrate);
    expect(() => registerSubstrate({ ...hotterSubstrate, name: '9lives' })).toThrow(/not a valid identifier/);
  });

  it('unregisterSubstrate cleans up: the name is gone from lookups and configs', () => {
    registerSubstrate(hotterSubstrate);
    expect(unregisterSubstrate('hotter')).toBe(true);
    expect(unregisterSubstrate('hotter')).toBe(false);
    expect(substrateNames()).toEqual(builtIn);
    expect(() => getSubstrate('hotter')).toThrow(/unknown substrate 'hotter'/);
    let error: unknown;
    try {
      buildSimulation(config({ name: 'hotter', deltaMv: 0.2 }), { knownSubstrates: substrateNames() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('/substrate/name');
    expect((error as ConfigError).message).toBe(`/substrate/name: unknown substrate 'hotter' (known: ${builtIn.join(', ')})`);
  });

  it("getSubstrate('nope') lists the known names", () => {
    registerSubstrate(hotterSubstrate);
    expect(() => getSubstrate('nope')).toThrow(`unknown substrate 'nope' (known: ${[...builtIn, 'hotter'].sort().join(', ')})`);
  });
});

// The third party runs the conformance kit on its substrate with its options.
substrateConformance(hotterSubstrate, { substrateOptions: { deltaMv: 0.2 }, numRuns: 40, neuronRuns: 300 });
