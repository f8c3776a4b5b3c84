import { readFile } from 'node:fs/promises';

/*
 * Reading the spikes of a result file in firstspike's format (`firstspike simulate --out`, the scripts of
 * `firstspike export pynn`): `{ "format": "firstspike.simulation", "version": 1, "duration_ms": ...,
 * "spikes": { "population": [...], "index": [...], "time_ms": [...] } }`, spikes in columns.
 */

/** Spike trains keyed by population, then neuron index; each train sorted ascending (ms). */
export interface SpikeTrains {
  readonly durationMs: number | null;
  readonly trains: ReadonlyMap<string, ReadonlyMap<number, Float64Array>>;
}

/** A result file that cannot be read or has the wrong shape; `where` names the file and field. */
export class SpikeFileError extends Error {}

function fail(source: string, field: string, reason: string): never {
  throw new SpikeFileError(`${source}${field}: ${reason}`);
}

/** Parses the text of a result file into per-neuron spike trains. */
export function parseSpikeFile(text: string, source: string): SpikeTrains {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    fail(source, '', `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(source, '', 'must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== 'firstspike.simulation') {
    fail(source, '/format', `must be "firstspike.simulation" (got ${JSON.stringify(d.format) ?? 'nothing'})`);
  }
  if (d.version !== 1) fail(source, '/version', `unsupported version ${JSON.stringify(d.version)} (known: 1)`);
  const duration = d.duration_ms;
  if (duration !== undefined && (typeof duration !== 'number' || !(duration > 0))) {
    fail(source, '/duration_ms', 'must be a number > 0');
  }
  const s = d.spikes;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) fail(source, '/spikes', 'must be an object');
  const { population, index, time_ms: time } = s as Record<string, unknown>;
  if (!Array.isArray(population)) fail(source, '/spikes/population', 'must be an array');
  if (!Array.isArray(index)) fail(source, '/spikes/index', 'must be an array');
  if (!Array.isArray(time)) fail(source, '/spikes/time_ms', 'must be an array');
  if (index.length !== population.length || time.length !== population.length) {
    fail(
      source,
      '/spikes',
      `columns differ in length (population ${population.length}, index ${index.length}, time_ms ${time.length})`,
    );
  }
  const lists = new Map<string, Map<number, number[]>>();
  for (let k = 0; k < population.length; k++) {
    const p = population[k];
    const i = index[k];
    const t = time[k];
    if (typeof p !== 'string') fail(source, `/spikes/population/${k}`, 'must be a string');
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0) {
      fail(source, `/spikes/index/${k}`, 'must be an integer >= 0');
    }
    if (typeof t !== 'number' || !Number.isFinite(t)) fail(source, `/spikes/time_ms/${k}`, 'must be a finite number');
    let byNeuron = lists.get(p);
    if (byNeuron === undefined) lists.set(p, (byNeuron = new Map()));
    let train = byNeuron.get(i);
    if (train === undefined) byNeuron.set(i, (train = []));
    train.push(t);
  }
  const trains = new Map<string, Map<number, Float64Array>>();
  for (const [p, byNeuron] of lists) {
    const out = new Map<number, Float64Array>();
    for (const [i, train] of byNeuron) out.set(i, Float64Array.from(train).sort());
    trains.set(p, out);
  }
  return { durationMs: typeof duration === 'number' ? duration : null, trains };
}

/** Reads and parses a result file. */
export async function readSpikeFile(path: string): Promise<SpikeTrains> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(`'${path}'`, '', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`);
  }
  return parseSpikeFile(text, `'${path}'`);
}
