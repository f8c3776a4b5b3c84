import { normalDraw, type RandomStream } from '../../core/rng.ts';
import type { Observation, RealiseContext } from '../../core/substrate/substrate.ts';
import type { Bss2Options } from './options.ts';
import { usToModel } from './options.ts';
import { floorToGrid, fpgaCycle } from './quantisation.ts';
import { TrialKeyedStream } from './trials.ts';

/**
 * What happens to a spike emitted at time t (model units) on its way out. The spike's own jitter
 * (N(0, sigma^2), one draw per spike in the order the spikes are observed) moves it (not before 0); then the FPGA records
 * it at t + jitter + read-out latency, not before 0, time-stamped on the 8 ns clock grid (floor).
 *
 * With `noise.jitterReachesNetwork` (default) the jitter is part of the spike: `transmit` applies it, and an
 * engine that calls `transmit` (the learning plugin's layered runner) passes the jittered time on to the next
 * layer, as the chip's on-chip routing does; `spikeTime` then adds only latency and time stamp. An engine
 * that never calls `transmit` (`simulate`) gets the jitter in the record only. Latency and time stamps
 * shape only the record: they belong to the read-out path (FPGA), which the on-chip routing does not pass.
 * With `jitterReachesNetwork: false` the jitter is applied to the record only in every engine.
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
  // set by the first `transmit`: the jitter is then applied there, not in `spikeTime`
  let transmitting = false;
  const observation: Observation = {
    spikeTime(_population, _neuron, t) {
      let x = t + latency;
      if (stream !== null && !transmitting) x += jitter * normalDraw(stream);
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
  if (jitter !== 0 && o.noise.jitterReachesNetwork) {
    observation.transmit = (_population, _neuron, t) => {
      transmitting = true;
      const x = t + jitter * normalDraw(stream!);
      return x < 0 ? 0 : x;
    };
  }
  return observation;
}
