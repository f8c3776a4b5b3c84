// A plugin substrate in plain JavaScript: the ideal dynamics with every LIF threshold lowered by the
// option deltaMv (default 0.5 mV), so neurons fire earlier than on 'ideal'. Use it from the command line:
//
//   npx firstspike simulate examples/chain.json --plugin ./examples/plugins/hotter.mjs   (config: "substrate": {"name": "hotter"})
//   npx firstspike train --preset yinyang --substrate hotter --plugin ./examples/plugins/hotter.mjs --threads 2
//
// Walk-through: docs/substrates.md.
import { lifDynamics, registerSubstrate, substrateNames } from 'firstspike';

const DEFAULT_DELTA_MV = 0.5;

/** @type {import('firstspike').Substrate<import('firstspike').LifConstants>} */
export const hotterSubstrate = {
  name: 'hotter',
  description: `ideal dynamics with every threshold lowered by deltaMv (default ${DEFAULT_DELTA_MV} mV)`,
  validateOptions(options) {
    for (const [key, value] of Object.entries(options)) {
      if (key !== 'deltaMv') throw new Error(`/substrate/${key}: unknown option for substrate 'hotter' (it takes deltaMv)`);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`/substrate/deltaMv: must be a finite number (mV)`);
    }
  },
  realise(network, context) {
    const delta = context.options.deltaMv ?? DEFAULT_DELTA_MV;
    return {
      ...network,
      populations: network.populations.map((p) =>
        p.kind !== 'lif' ? p : { ...p, params: { ...p.params, vThreshMv: p.params.vThreshMv.map((v) => v - delta) } },
      ),
    };
  },
  dynamics: lifDynamics,
};

// a module may be imported twice (the CLI, then a test): register once
if (!substrateNames().includes(hotterSubstrate.name)) registerSubstrate(hotterSubstrate);
