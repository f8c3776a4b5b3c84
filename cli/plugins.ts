import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Option } from 'commander';
import { UsageError } from './io.ts';

/**
 * `--plugin <module>` (repeatable) for every command that takes a substrate: a module that registers
 * substrates with `registerSubstrate` when imported. Add it with `command.addOption(pluginOption())`; the
 * action calls {@link loadPlugins} with the parsed value before it looks up any substrate.
 */
export function pluginOption(): Option {
  return new Option(
    '--plugin <module>',
    'import this module first (it registers substrates with registerSubstrate); resolved like an import ' +
      'from the current folder (./my-substrate.mjs, a package name); repeatable',
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** Resolves `specifier` as Node resolves an import written in a module of folder `cwd`. */
export async function resolvePlugin(specifier: string, cwd: string = process.cwd()): Promise<string> {
  // loaded here, not at start-up: most runs have no plugin (docs/benchmarks.md)
  const { resolve: resolveImport } = await import('import-meta-resolve');
  const parent = pathToFileURL(join(cwd, 'firstspike-plugin-parent.mjs')).href;
  let url: string;
  try {
    url = resolveImport(specifier, parent);
  } catch (error) {
    const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)).replace(/ imported from .*$/, '');
    const hint =
      !/^(\.{1,2}\/|\/|file:)/.test(specifier) && existsSync(join(cwd, specifier))
        ? ` (for the file in the current folder write './${specifier}')`
        : '';
    throw new UsageError(`--plugin '${specifier}': cannot resolve it from ${cwd}${hint}: ${reason}`);
  }
  if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
    throw new UsageError(`--plugin '${specifier}': no such file ${fileURLToPath(url)}`);
  }
  return url;
}

/**
 * Imports the plugin modules in order (resolved from `cwd`) and returns their URLs, which worker threads
 * import too (TrainOptions.workerModules). A module that fails to load is a usage error naming it.
 */
export async function loadPlugins(specifiers: readonly string[] | undefined, cwd: string = process.cwd()): Promise<string[]> {
  const urls: string[] = [];
  for (const specifier of specifiers ?? []) {
    const url = await resolvePlugin(specifier, cwd);
    try {
      await import(url);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new UsageError(`--plugin '${specifier}': failed to load ${url}: ${reason}`);
    }
    urls.push(url);
  }
  return urls;
}
