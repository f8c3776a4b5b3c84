// The package build: dist/ from the TypeScript sources (tsc with tsconfig.build.json: JavaScript with the
// relative .ts imports rewritten to .js, declarations, source maps), then the config schema's validator
// precompiled with ajv's standalone code generation, so the CLI does not load ajv's compiler at start-up.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const STAMP = join(root, 'dist', '.build-stamp');
const INPUTS = ['index.ts', 'core', 'substrates', 'plugins', 'cli', 'testing', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/** Newest modification time (ms) of the files under `path`. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((e) => newest(join(path, e))));
}

// --if-stale (npm test's pretest): nothing to do when dist/ was built after the last change of its inputs
if (process.argv.includes('--if-stale') && existsSync(STAMP)) {
  const built = statSync(STAMP).mtimeMs;
  if (INPUTS.every((p) => newest(join(root, p)) < built)) process.exit(0);
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { CONFIG_SCHEMA } = await import('../dist/core/config/schema.js');
const { CONFIG_AJV_OPTIONS, PRECOMPILED_VALIDATOR_FILE } = await import('../dist/core/config/schemaValidator.js');
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, code: { source: true } });
const code = standaloneCode(ajv, ajv.compile(CONFIG_SCHEMA));
writeFileSync(new URL(`../dist/core/config/${PRECOMPILED_VALIDATOR_FILE}`, import.meta.url), code);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
