import type { SimulationSpec } from '../../core/simulation.ts';
import { pynnNetworkData, type PynnNetworkData } from './pynnNetwork.ts';
import { PYNN_SCRIPT_BODY } from './pynnTemplate.ts';

/** Where the exported network came from (written into the script's header). */
export interface PynnScriptOrigin {
  /** The config file's path as the user gave it. */
  readonly config: string;
  readonly substrate: string;
  /** True when the substrate's realisation was exported rather than the nominal network. */
  readonly realised: boolean;
}

/**
 * A Python string literal holding `text`: JSON's string escapes (\" \\ \n \uXXXX) mean the same in
 * Python, and JSON.stringify emits no others.
 */
function pythonStringLiteral(text: string): string {
  return JSON.stringify(text);
}

/** The network data as embedded in the script (exported for tests). */
export function scriptNetworkData(spec: SimulationSpec): PynnNetworkData {
  return pynnNetworkData(spec.network, spec.durationMs, spec.recording);
}

/** A self-contained PyNN 0.10 script that builds and runs `spec`'s network (see docs/interop.md). */
export function pynnScript(spec: SimulationSpec, origin: PynnScriptOrigin, network?: SimulationSpec['network']): string {
  const data = pynnNetworkData(network ?? spec.network, spec.durationMs, spec.recording);
  const connections = data.projections.reduce((s, p) => s + p.connections.length, 0);
  const neurons = data.populations.reduce((s, p) => s + p.size, 0);
  const header = [
    '#!/usr/bin/env python3',
    '# -*- coding: utf-8 -*-',
    '"""PyNN 0.10 script exported by `firstspike export pynn`.',
    '',
    `Config: ${JSON.stringify(origin.config).slice(1, -1).replace(/"""/g, '')}`,
    `Substrate: ${origin.substrate}${origin.realised ? ' (its realisation of the network, seed ' + String(spec.seed) + ')' : ' (nominal network exported)'}`,
    `Network: ${data.populations.length} populations, ${neurons} neurons, ${data.projections.length} projections, ${connections} connections; ${data.duration_ms} ms.`,
    '',
    'Run:  python3 model.py --backend brian2|nest --out spikes.json [--dt 0.01]',
    'Then: firstspike compare firstspike-result.json spikes.json --tolerance 0.1',
    '"""',
    '',
    '# The network: populations (IF_curr_exp parameters in PyNN names and units: ms, mV, nF, nA), spike',
    '# sources with exact times (ms), projections as (pre, post, weight nA) lists with one delay (ms).',
    `NETWORK = __import__("json").loads(${pythonStringLiteral(JSON.stringify(data))})`,
    '',
  ].join('\n');
  return header + PYNN_SCRIPT_BODY;
}
