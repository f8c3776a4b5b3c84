import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The worker module `name` (without extension) beside the module at `moduleUrl`, and the Node options
 * that run it. From dist/ (the package as installed) it is the compiled `name.js`, run by plain Node.
 * From the TypeScript sources (tests under vitest, tsx) it is `name.ts`, run through tsx's loader,
 * resolved from this package (a devDependency) rather than from the current directory, which may have
 * no tsx.
 */
export function workerEntry(moduleUrl: string, name: string): { filename: string; execArgv: string[] } {
  if (!moduleUrl.endsWith('.ts')) return { filename: new URL(`./${name}.js`, moduleUrl).href, execArgv: [] };
  const tsx = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
  return { filename: new URL(`./${name}.ts`, moduleUrl).href, execArgv: ['--import', tsx] };
}

/**
 * A script for `new Worker(script, { eval: true })` that runs the worker module `name` beside the module
 * at `moduleUrl` in a plain worker_threads Worker: the compiled `name.js` from dist/, or from the sources
 * `name.ts` after registering tsx's ESM loader inside the worker (in Node 20 a worker's `--import`
 * preload does not make its ESM imports of .ts files load).
 */
export function workerScript(moduleUrl: string, name: string): string {
  if (!moduleUrl.endsWith('.ts')) return `import(${JSON.stringify(new URL(`./${name}.js`, moduleUrl).href)});`;
  // require.resolve gives the CommonJS build of tsx/esm/api; its ES module build sits beside it
  const tsx = pathToFileURL(createRequire(moduleUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
}
