import type { LifConstants } from '../../core/lif/constants.ts';
import { lifDynamics } from '../../core/lif/lifDynamics.ts';
import { checkOptionRecord } from '../../core/substrate/options.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';

/**
 * The equations and nothing else: the realised network is the nominal one and the dynamics are the
 * exact LIF propagator of core/lif.
 */
export const idealSubstrate: Substrate<LifConstants> = {
  name: 'ideal',
  description: 'the model equations exactly, with nominal parameters and no noise',
  validateOptions(options) {
    checkOptionRecord(options, '/substrate', {}, "option for substrate 'ideal'");
  },
  realise(network) {
    return network;
  },
  dynamics: lifDynamics,
};
