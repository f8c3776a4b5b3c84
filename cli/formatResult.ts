import type { SimulationResult } from '../core/engine/simulate.ts';
import type { SimulationSpec } from '../core/simulation.ts';

export type OutputFormat = 'json' | 'csv';

/**
 * The result as JSON: spikes in columns (population name, index, time in ms) sorted by time, and the
 * membrane traces, each with its sampling step. Numbers are written in shortest round-trip form, so the
 * output is byte-identical for identical runs.
 */
export function resultAsJson(result: SimulationResult): string {
  const names = result.populationNames;
  const s = result.spikes;
  const out = {
    format: 'firstspike.simulation',
    version: 1,
    duration_ms: result.durationMs,
    spikes: {
      population: Array.from(s.population, (p) => names[p]),
      index: Array.from(s.neuron),
      time_ms: Array.from(s.timeMs),
    },
    traces: result.traces.map((t) => ({
      population: names[t.population],
      index: t.neuron,
      dt_ms: t.dtMs,
      v_mv: Array.from(t.vMv),
    })),
  };
  return `${JSON.stringify(out)}\n`;
}

/**
 * The result as CSV with columns `record,population,index,time_ms,v_mv`: one `spike` row per spike
 * (v_mv empty), then one `v` row per trace sample.
 */
export function resultAsCsv(result: SimulationResult): string {
  const names = result.populationNames;
  const s = result.spikes;
  const lines = ['record,population,index,time_ms,v_mv'];
  for (let k = 0; k < s.timeMs.length; k++) {
    lines.push(`spike,${names[s.population[k]]},${s.neuron[k]},${s.timeMs[k]},`);
  }
  for (const t of result.traces) {
    for (let k = 0; k < t.vMv.length; k++) {
      lines.push(`v,${names[t.population]},${t.neuron},${k * t.dtMs},${t.vMv[k]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatResult(result: SimulationResult, format: OutputFormat): string {
  return format === 'csv' ? resultAsCsv(result) : resultAsJson(result);
}

/** A short human summary: per population, spikes, active neurons, mean rate, first spike. */
export function spikeSummary(result: SimulationResult, spec: SimulationSpec): string {
  const populationSizes = spec.network.populations.map((p) => p.size);
  const recorded = new Set(
    spec.recording.spikes ?? spec.network.populations.flatMap((p, i) => (p.kind === 'lif' ? [i] : [])),
  );
  const names = result.populationNames;
  const count = new Array<number>(names.length).fill(0);
  const first = new Array<number>(names.length).fill(Infinity);
  const active = names.map(() => new Set<number>());
  const s = result.spikes;
  for (let k = 0; k < s.timeMs.length; k++) {
    const p = s.population[k];
    count[p]++;
    first[p] = Math.min(first[p], s.timeMs[k]);
    active[p].add(s.neuron[k]);
  }
  const rows = names
    .map((name, p) => ({ name, p }))
    .filter(({ p }) => recorded.has(p))
    .map(({ name, p }) => {
      const rate = count[p] / populationSizes[p] / (result.durationMs / 1000);
      const firstText = first[p] === Infinity ? '-' : `${first[p].toFixed(3)} ms`;
      return `  ${name}: ${count[p]} spikes, ${active[p].size}/${populationSizes[p]} neurons active, mean rate ${rate.toFixed(2)} Hz, first spike ${firstText}`;
    });
  const st = result.statistics;
  rows.push(
    `  synaptic events: ${st.recurrentEvents + st.externalEvents} (recurrent ${st.recurrentEvents}, external ${st.externalEvents}); ${st.spikesEmitted} spikes emitted in ${result.durationMs} ms`,
  );
  return `${rows.join('\n')}\n`;
}
