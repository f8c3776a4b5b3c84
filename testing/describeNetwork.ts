import { LIF_PARAM_FIELDS, lifParamsAt, type LifParams } from '../core/lif/params.ts';
import type { Network } from '../core/network/network.ts';

/** Compact text of one parameter set, e.g. `tauMemMs=10 tauSynExcMs=5 ...`. */
export function describeParams(params: LifParams): string {
  return LIF_PARAM_FIELDS.map((f) => `${f}=${params[f]}`).join(' ');
}

/**
 * A readable multi-line description of a network, with every number at full precision so that a
 * counterexample can be rebuilt from it: populations (source spike times; LIF parameters, per neuron
 * where they differ, and initial V) and projections (delay and every synapse as pre->post weight).
 */
export function describeNetwork(network: Network): string {
  const lines: string[] = ['Network {'];
  network.populations.forEach((p, idx) => {
    const head = `  [${idx}] ${p.kind} '${p.name}' (${p.size} neuron${p.size === 1 ? '' : 's'})`;
    if (p.kind === 'source') {
      const trains = p.spikeTimesMs.map((t) => `[${Array.from(t).join(', ')}]`).join(' ');
      lines.push(`${head} spike times: ${trains}`);
      return;
    }
    const sets = Array.from({ length: p.size }, (_, j) => describeParams(lifParamsAt(p.params, j)));
    const v0 = Array.from(p.initialVMv);
    if (sets.every((s) => s === sets[0])) lines.push(`${head} ${sets[0] ?? ''}`);
    else {
      lines.push(head);
      sets.forEach((s, j) => lines.push(`      neuron ${j}: ${s}`));
    }
    lines.push(`      initial V (mV): ${v0.every((v) => v === v0[0]) ? String(v0[0]) : `[${v0.join(', ')}]`}`);
  });
  for (const proj of network.projections) {
    const syn = proj.synapses;
    const entries: string[] = [];
    for (let r = 0; r < syn.rows; r++) {
      for (let e = syn.rowStart[r]; e < syn.rowStart[r + 1]; e++) entries.push(`${r}->${syn.targets[e]} ${syn.weights[e]}`);
    }
    lines.push(
      `  '${proj.name}' [${proj.source}]->[${proj.target}] delay ${proj.delayMs} ms: ${entries.length === 0 ? '(no synapses)' : entries.join(', ')}`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}
