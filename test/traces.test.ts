import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../core/engine/simulate.ts';
import type { Network } from '../core/network/network.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';
import { smallNetworkArb } from './helpers/networks.ts';
import { refKernel } from './helpers/reference.ts';

/**
 * Independent V(t) of one recorded neuron as the analytic PSP sum (test/helpers/reference.ts kernels, no
 * core/lif code), given its input arrivals and its own spike times: V is held at v_reset on
 * [s, s + tau_refrac] after each spike s; after the last reset (or from t = 0) it is
 * c + (V_a - c) e^{-(t - r)/tau_m} + (1/C_m) sum_j w_j K_j, where r is the end of the refractory period
 * (or 0), V_a = v_reset (or the initial V), and an input j contributes its current at r,
 * w_j e^{-(r - t_j)/tau_s}, through K(t - r) if it arrived by r, or K(t - t_j) if it arrived later.
 */
function pspSumVoltage(
  p: { tauM: number; tauE: number; tauI: number; cm: number; vRest: number; vReset: number; iOffset: number; tauRefrac: number; v0: number },
  inputs: readonly { t: number; w: number }[],
  ownSpikes: readonly number[],
  t: number,
): { v: number; refractory: boolean; afterReset: boolean } {
  let last = -Infinity;
  for (const s of ownSpikes) if (s <= t) last = s;
  if (t <= last + p.tauRefrac) return { v: p.vReset, refractory: true, afterReset: true };
  const r = last === -Infinity ? 0 : last + p.tauRefrac;
  const va = last === -Infinity ? p.v0 : p.vReset;
  const c = p.vRest + (p.iOffset * p.tauM) / p.cm;
  let v = c + (va - c) * Math.exp(-(t - r) / p.tauM);
  for (const input of inputs) {
    if (input.t > t) continue;
    const tauS = input.w >= 0 ? p.tauE : p.tauI;
    v += input.t <= r
      ? ((input.w * Math.exp(-(r - input.t) / tauS)) / p.cm) * refKernel(p.tauM, tauS, t - r)
      : (input.w / p.cm) * refKernel(p.tauM, tauS, t - input.t);
  }
  return { v, refractory: false, afterReset: last !== -Infinity };
}

describe('recorded membrane traces vs the analytic PSP sum', () => {
  it('every sample of every LIF neuron of random networks (inputs, resets, refractory periods, offsets)', () => {
    const durationMs = 60;
    const dtMs = 0.25;
    const counts = { samples: 0, refractory: 0, afterReset: 0, networksWithResets: 0 };
    let worst = 0;
    fc.assert(
      fc.property(smallNetworkArb, (network: Network) => {
        const membrane = network.populations.flatMap((p, population) =>
          p.kind === 'lif' ? [{ population, indices: Array.from({ length: p.size }, (_, j) => j), dtMs }] : [],
        );
        const result = simulate(
          { network, durationMs, seed: 0, substrate: { name: 'ideal', options: {} }, recording: { membrane } },
          { substrate: idealSubstrate },
        );
        // the engine's spikes give each neuron's resets and, through the projections, its inputs
        const spikesOf = new Map<string, number[]>();
        const sp = result.spikes;
        for (let k = 0; k < sp.timeMs.length; k++) {
          const key = `${sp.population[k]}:${sp.neuron[k]}`;
          if (!spikesOf.has(key)) spikesOf.set(key, []);
          spikesOf.get(key)!.push(sp.timeMs[k]);
        }
        const inputsOf = new Map<string, { t: number; w: number }[]>();
        for (const proj of network.projections) {
          const source = network.populations[proj.source];
          for (let a = 0; a < source.size; a++) {
            const times = source.kind === 'source' ? Array.from(source.spikeTimesMs[a]) : (spikesOf.get(`${proj.source}:${a}`) ?? []);
            for (let e = proj.synapses.rowStart[a]; e < proj.synapses.rowStart[a + 1]; e++) {
              const key = `${proj.target}:${proj.synapses.targets[e]}`;
              if (!inputsOf.has(key)) inputsOf.set(key, []);
              for (const t of times) inputsOf.get(key)!.push({ t: t + proj.delayMs, w: proj.synapses.weights[e] });
            }
          }
        }
        expect(result.traces.length).toBe(membrane.reduce((n, m) => n + m.indices.length, 0));
        let resets = false;
        for (const trace of result.traces) {
          const pop = network.populations[trace.population];
          if (pop.kind !== 'lif') throw new Error('trace of a source');
          const j = trace.neuron;
          const a = pop.params;
          const p = {
            tauM: a.tauMemMs[j],
            tauE: a.tauSynExcMs[j],
            tauI: a.tauSynInhMs[j],
            cm: a.capacitanceNf[j],
            vRest: a.vRestMv[j],
            vReset: a.vResetMv[j],
            iOffset: a.iOffsetNa[j],
            tauRefrac: a.tauRefracMs[j],
            v0: pop.initialVMv[j],
          };
          const own = spikesOf.get(`${trace.population}:${j}`) ?? [];
          if (own.length > 0) resets = true;
          const inputs = inputsOf.get(`${trace.population}:${j}`) ?? [];
          expect(trace.dtMs).toBe(dtMs);
          expect(trace.vMv.length).toBe(Math.round(durationMs / dtMs));
          for (let k = 0; k < trace.vMv.length; k++) {
            const ref = pspSumVoltage(p, inputs, own, k * dtMs);
            const err = Math.abs(trace.vMv[k] - ref.v);
            worst = Math.max(worst, err);
            // V is a few mV: rounding of a sum of up to ~100 PSP terms stays far below 1e-10 mV
            if (!(err <= 1e-10)) expect.fail(`population ${trace.population} neuron ${j} sample ${k} (t = ${k * dtMs} ms): engine ${trace.vMv[k]} mV, PSP sum ${ref.v} mV`);
            counts.samples++;
            if (ref.refractory) counts.refractory++;
            else if (ref.afterReset) counts.afterReset++;
          }
        }
        if (resets) counts.networksWithResets++;
      }),
      { numRuns: 80, seed: 21 },
    );
    console.log(`traces: ${JSON.stringify(counts)}, max |V - V_ref| = ${worst.toExponential(2)} mV`);
    // not vacuous: many samples inside refractory periods and after resets, most networks spiking
    expect(counts.refractory).toBeGreaterThan(0.02 * counts.samples);
    expect(counts.afterReset).toBeGreaterThan(0.2 * counts.samples);
    expect(counts.networksWithResets).toBeGreaterThan(60);
  });
});
