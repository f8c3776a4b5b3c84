// (a) A plain-Node ESM consumer of the installed tarball: no tsx, no vitest. Usage: node app.mjs <expected.json>
// where expected.json holds the spikes of examples/chain.json as the repository's own CLI computed them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSimulation, getSubstrate, simulate, substrateNames } from 'firstspike';
import { YINYANG_PRESET, createModel, evaluate, loadPresetData } from 'firstspike/learning';
import { checkCrossingsAgainstOracle } from 'firstspike/testing';

const fail = (message) => {
  console.error(`consumer app: FAIL: ${message}`);
  process.exit(1);
};
const require = createRequire(import.meta.url);
const chainPath = require.resolve('firstspike/package.json').replace(/package\.json$/, 'examples/chain.json');
const config = JSON.parse(readFileSync(chainPath, 'utf8'));
const result = simulate(buildSimulation(config, { knownSubstrates: substrateNames() }));
const expected = JSON.parse(readFileSync(process.argv[2], 'utf8')).spikes;

const n = result.spikes.timeMs.length;
if (n !== expected.time_ms.length) fail(`chain.json: ${n} spikes, the repository's CLI gave ${expected.time_ms.length}`);
if (JSON.stringify(Array.from(result.spikes.timeMs)) !== JSON.stringify(expected.time_ms)) fail('chain.json: spike times differ');
// the input's kick makes every one of the five chain neurons fire
const chainIndex = config.populations.findIndex((p) => p.name === 'chain');
const chain = new Set();
for (let k = 0; k < n; k++) if (result.spikes.population[k] === chainIndex) chain.add(result.spikes.neuron[k]);
if (chain.size !== 5) fail(`chain.json: ${chain.size} of 5 chain neurons fired`);

// firstspike/testing without vitest (not installed here): a check as a plain function
const summary = checkCrossingsAgainstOracle(getSubstrate('ideal'), { neuronRuns: 50 });
if (summary.check !== 'crossings') fail('checkCrossingsAgainstOracle gave no summary');

// firstspike/learning: an untrained Yin-Yang model on the test split (chance level, but it runs)
const data = loadPresetData(YINYANG_PRESET);
const e = evaluate(createModel(YINYANG_PRESET, 0), data.test, getSubstrate('ideal'), {}, YINYANG_PRESET.train.pass, 0);
if (!(e.accuracy >= 0 && e.accuracy <= 1)) fail(`evaluate gave accuracy ${e.accuracy}`);

// the point of the check above: vitest is an optional peer, and this project does not have it
let vitestFound = null;
try {
  vitestFound = require.resolve('vitest');
} catch {
  // as expected
}
if (vitestFound !== null) fail(`vitest is installed here (${vitestFound}), so this does not show that firstspike/testing loads without it`);
console.log(`consumer app: ${n} spikes of chain.json as the repository's CLI, all 5 chain neurons fired; ` +
  `testing check ran ${JSON.stringify(summary.runs)} (vitest not installed); untrained Yin-Yang accuracy ${e.accuracy.toFixed(3)}`);
