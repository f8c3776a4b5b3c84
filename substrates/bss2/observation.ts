import { normalDraw, type RandomStream } from '../../core/rng.ts';
import type { Observation, RealiseContext } from '../../core/substrate/substrate.ts';
import type { Bss2Options } from './options.ts';
import { usToModel } from './options.ts';
import { floorToGrid, fpgaCycle } from './quantisation.ts';
import { TrialKeyedStream } from './trials.ts';

/**
 * What the FPGA records of a spike emitted at time t (model units): t + read-out latency + jitter
 * (N(0, sigma^2), one draw per recorded spike in the order the spikes are observed), not before 0, then
 * time-stamped on the 8 ns clock grid (floor). The network itself sees the exact times: jitter, latency
 * and time stamps shape only the record.
 *
 * The jitter comes from `trialStream('bss2/jitter')` for a single run. Engines that run many trials on
 * one realisation call `beginTrial(k)` before trial k; from then on the jitter of trial k comes from a
 * {@link TrialKeyedStream} keyed by `trialStream('bss2/jitter/trials')` and k, so it does not depend on
 * how many spikes earlier trials recorded.
 */
export function bss2Observation(context: Pick<RealiseContext, 'trialStream'>, o: Bss2Options): Observation {
  const latency = usToModel(o, o.readoutLatencyNs / 1000);
  const jitter = usToModel(o, (o.noiseScale * o.noise.jitterNs) / 1000);
  const cycle = fpgaCycle(o);
  const quantise = o.quantiseOutputTimes;
  if (latency === 0 && jitter === 0 && !quantise) return { spikeTime: (_p, _n, t) => t };
  let stream: RandomStream | null = jitter === 0 ? null : context.trialStream('bss2/jitter');
  let perTrial: TrialKeyedStream | null = null;
  return {
    spikeTime(_population, _neuron, t) {
      let x = t + latency;
      if (stream !== null) x += jitter * normalDraw(stream);
      if (x < 0) x = 0;
      return quantise ? floorToGrid(x, cycle) : x;
    },
    beginTrial(trial) {
      if (jitter === 0) return;
      if (perTrial === null) perTrial = new TrialKeyedStream(context.trialStream('bss2/jitter/trials'));
      perTrial.begin(trial);
      stream = perTrial;
    },
  };
}
