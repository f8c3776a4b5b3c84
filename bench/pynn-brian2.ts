/**
 * firstspike's exact spike times vs the same networks exported with `firstspike export pynn` and run under
 * PyNN 0.10 + Brian2 (docs/interop.md, "Checked against PyNN/Brian2"). Installs nothing: it needs a Python
 * with pyNN.brian2 (Debian: apt-get install python3-pynn python3-brian) and says so if there is none.
 *
 * For each network (the examples/ configs and a few random ones written to --dir): simulate with firstspike,
 * export the script, run it at --dt (default 0.01 ms), and match the spikes per neuron within --tolerance
 * (default 0.1 ms), printing spikes, matched, missing/extra and max/mean |dt|. With --no-clock-fix the
 * scripts leave pyNN.brian2's spike sources on its 0.1 ms clock (to measure what that costs).
 *
 *   npx tsx bench/pynn-brian2.ts [--python /usr/bin/python3] [--dt 0.01] [--tolerance 0.1] [--random 3]
 *       [--dir /tmp/firstspike-pynn] [--only chain,random1] [--no-clock-fix] [--codegen numpy]
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSimulation } from '../core/config/index.ts';
import { simulate } from '../core/engine/simulate.ts';
import { randomStream, type RandomStream } from '../core/rng.ts';
import { substrateNames } from '../core/substrate/registry.ts';
import '../index.ts';
import { resultAsJson } from '../cli/formatResult.ts';
import { compareSpikes } from '../plugins/interop/compare.ts';
import { pynnScript } from '../plugins/interop/pynnScript.ts';
import { parseSpikeFile } from '../plugins/interop/spikeFile.ts';

const run = promisify(execFile);

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

/** The Python to use: --python, else /usr/bin/python3 (Debian's, where python3-pynn installs), else python3. */
async function findPython(): Promise<string | null> {
  const given = argument('python', '');
  const candidates = given !== '' ? [given] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    try {
      await run(python, ['-c', 'import pyNN.brian2'], { timeout: 1_800_000 });
      return python;
    } catch {
      // try the next one
    }
  }
  return null;
}

const uniform = (s: RandomStream, lo: number, hi: number): number => lo + (hi - lo) * s.next();

/**
 * A random network: 20 array sources (times uniform in [0, 80) ms, 1-3 each) driving 30 IF_curr_exp neurons
 * with random per-neuron parameters (one tau_refrac for all), plus recurrent mixed-sign connections; delays drawn from {0, 0.55, 1.3} ms when
 * `zeroDelays`, else {0.55, 1.3}.
 */
function randomConfig(seed: number, zeroDelays: boolean): object {
  const s = randomStream(seed, 'bench/pynn/network');
  const delays = zeroDelays ? [0, 0.55, 1.3] : [0.55, 1.3];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(s.next() * xs.length)];
  const nLif = 30;
  const spikeTimes = Array.from({ length: 20 }, () =>
    Array.from({ length: 1 + Math.floor(s.next() * 3) }, () => Math.round(uniform(s, 0, 80) * 1e6) / 1e6).sort((a, b) => a - b),
  );
  const overrides = Array.from({ length: nLif }, (_, i) => ({
    indices: [i],
    params: {
      tau_m: uniform(s, 5, 20),
      tau_syn_E: uniform(s, 2, 8),
      tau_syn_I: uniform(s, 2, 8),
      cm: uniform(s, 0.2, 1),
      v_thresh: uniform(s, -55, -50),
    },
  }));
  // one refractory period per network: pyNN.brian2 needs one per population, and the script's split into
  // one Brian2 group per value costs minutes of equation analysis per group (the mixed case covers the split)
  const tauRefrac = uniform(s, 0.5, 3);
  return {
    seed,
    duration: 100,
    populations: [
      { name: 'src', type: 'spike_source_array', size: 20, spike_times: spikeTimes },
      { name: 'lif', type: 'IF_curr_exp', size: nLif, params: { v_rest: -65, v_reset: -68, tau_refrac: tauRefrac }, overrides },
    ],
    projections: [
      { name: 'drive', source: 'src', target: 'lif', connector: { type: 'fixed_probability', p_connect: 0.4 }, weight: { distribution: 'uniform', low: 0.3, high: 1.5 }, delay: pick(delays) },
      { name: 'rec', source: 'lif', target: 'lif', connector: { type: 'fixed_probability', p_connect: 0.15, allow_self_connections: false }, weight: { distribution: 'normal', mean: 0.1, std: 0.6 }, delay: pick(delays) },
    ],
    record: { spikes: ['src', 'lif'] },
  };
}

async function main(): Promise<void> {
  const dt = Number(argument('dt', '0.01'));
  const tolerance = Number(argument('tolerance', '0.1'));
  const randomCount = Number(argument('random', '3'));
  const dir = argument('dir', '/tmp/firstspike-pynn');
  const only = argument('only', '');
  const noClockFix = flag('no-clock-fix');
  const codegen = argument('codegen', 'numpy');
  const python = await findPython();
  if (python === null) {
    console.log('pyNN.brian2 not importable (tried --python, /usr/bin/python3, python3): nothing to compare.');
    console.log('Debian/Ubuntu: apt-get install python3-pynn python3-brian; then rerun (this script installs nothing).');
    return;
  }
  await mkdir(dir, { recursive: true });
  const cases: { name: string; config: object }[] = [];
  for (const name of ['chain', 'poisson-input', 'balanced']) {
    cases.push({ name, config: JSON.parse(await readFile(new URL(`../examples/${name}.json`, import.meta.url), 'utf8')) as object });
  }
  for (let k = 1; k <= randomCount; k++) cases.push({ name: `random${k}`, config: randomConfig(k, k % 2 === 1) });
  const chosen = only === '' ? cases : cases.filter((c) => only.split(',').includes(c.name));
  console.log(
    `python ${python}; dt ${dt} ms; tolerance ${tolerance} ms; clock fix ${noClockFix ? 'off' : 'on'}; codegen ${codegen}; ` +
      `${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  console.log('network         spikes fs  spikes b2  matched  missing  extra   max |dt| ms  mean |dt| ms   python s');
  for (const { name, config } of chosen) {
    await writeFile(join(dir, `${name}.config.json`), JSON.stringify(config, null, 2));
    const spec = buildSimulation(config, { knownSubstrates: substrateNames() });
    const exact = simulate(spec);
    const exactText = resultAsJson(exact);
    await writeFile(join(dir, `${name}.firstspike.json`), exactText);
    const script = join(dir, `${name}.py`);
    await writeFile(script, pynnScript(spec, { config: `${name}.config.json`, substrate: spec.substrate.name, realised: false }));
    const out = join(dir, `${name}.brian2.json`);
    const started = performance.now();
    const args = [script, '--backend', 'brian2', '--dt', String(dt), '--out', out, '--no-traces', '--codegen', codegen];
    if (noClockFix) args.push('--no-clock-fix');
    const { stderr } = await run(python, args, { timeout: 3_600_000, maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    const notes = stderr.split('\n').filter((l) => /raised|merged|rounded|WARNING/.test(l));
    const c = compareSpikes(parseSpikeFile(exactText, 'firstspike'), parseSpikeFile(await readFile(out, 'utf8'), 'brian2'), tolerance);
    const fs = c.populations.reduce((s, p) => s + p.spikesA, 0);
    const b2 = c.populations.reduce((s, p) => s + p.spikesB, 0);
    console.log(
      `${name.padEnd(14)} ${String(fs).padStart(10)} ${String(b2).padStart(10)} ${String(c.matched).padStart(8)} ` +
        `${String(c.missing).padStart(8)} ${String(c.extra).padStart(6)} ${c.maxAbsDtMs.toFixed(5).padStart(12)} ` +
        `${c.meanAbsDtMs.toFixed(5).padStart(13)} ${seconds.toFixed(0).padStart(10)}`,
    );
    for (const p of c.populations) {
      console.log(`    ${p.population}: ${p.spikesA} vs ${p.spikesB}, matched ${p.matched}, max ${p.maxAbsDtMs.toFixed(5)} ms`);
    }
    for (const line of notes) console.log(`    note: ${line.trim().slice(0, 200)}`);
  }
}

await main();
