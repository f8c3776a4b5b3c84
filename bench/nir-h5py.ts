/**
 * Checks that `firstspike export nir` files are HDF5 that h5py (Debian: python3-h5py) reads with the groups and
 * datasets NIR's reader (github.com/neuromorphs/NIR, nir/serialization.py) looks for. Installs nothing; says so
 * and stops when no Python with h5py is found. The network is the Yin-Yang model (fresh weights) with the
 * inputs of test sample 0, as `export config` writes it.
 *
 *   npx tsx bench/nir-h5py.ts [--python /usr/bin/python3] [--out /tmp/firstspike-check.nir]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import '../index.ts';
import { buildSimulation } from '../core/config/index.ts';
import { substrateNames } from '../core/substrate/registry.ts';
import { modelConfig } from '../plugins/interop/modelConfig.ts';
import { writeNirFile } from '../plugins/interop/nirFile.ts';
import { networkToNir } from '../plugins/interop/nirGraph.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';

const run = promisify(execFile);
function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

// What NIR's reader requires of each node type we write (besides `type`).
const CHECK = String.raw`
import sys, h5py
required = {"Input": ["shape"], "Output": ["shape"], "Linear": ["weight"],
            "CubaLIF": ["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "w_in"]}
f = h5py.File(sys.argv[1], "r")
print("version", f["version"][()].decode())
g = f["node"]
assert g["type"][()] == b"NIRGraph", g["type"][()]
edges = [(a.decode(), b.decode()) for a, b in g["edges"][()]]
print("edges", len(edges))
problems = 0
for name, node in g["nodes"].items():
    t = node["type"][()].decode()
    missing = [k for k in required.get(t, []) if k not in node]
    shapes = {k: node[k].shape for k in node.keys() if k not in ("type", "metadata")}
    print("  %-16s %-8s %s%s" % (name, t, shapes, "  MISSING %s" % missing if missing else ""))
    problems += len(missing) + (t not in required)
for a, b in edges:
    problems += (a not in g["nodes"]) + (b not in g["nodes"])
print("problems", problems)
sys.exit(1 if problems else 0)
`;

async function main(): Promise<void> {
  const out = argument('out', '/tmp/firstspike-check.nir');
  const given = argument('python', '');
  let python: string | null = null;
  for (const candidate of given !== '' ? [given] : ['/usr/bin/python3', 'python3']) {
    try {
      await run(candidate, ['-c', 'import h5py']);
      python = candidate;
      break;
    } catch {
      // next
    }
  }
  if (python === null) {
    console.log('h5py not importable (tried --python, /usr/bin/python3, python3); Debian: apt-get install python3-h5py');
    return;
  }
  const model = createModel(YINYANG_PRESET, 1);
  const set = loadPresetData(YINYANG_PRESET).test;
  const n0 = model.layerSizes[0];
  const config = modelConfig(model, {
    inputTimes: Array.from(set.times.subarray(0, n0)),
    trialLength: YINYANG_PRESET.train.pass.tMax,
    substrate: 'ideal',
    substrateOptions: {},
    seed: 0,
  });
  const spec = buildSimulation(config, { knownSubstrates: substrateNames() });
  await writeNirFile(out, networkToNir(spec.network));
  console.log(`wrote ${out}; reading it with ${python} + h5py`);
  const { stdout } = await run(python, ['-c', CHECK, out]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  process.stdout.write(stdout);
}

await main();
