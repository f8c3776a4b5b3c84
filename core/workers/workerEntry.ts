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
