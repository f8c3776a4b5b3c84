import { readFile } from 'node:fs/promises';
import { normalisePynnNames, parseConfigText } from '../../core/config/index.ts';

/**
 * The config file in the normalised form the loader builds from (PyNN names rewritten), pretty-printed.
 * Call after the file loaded without error.
 */
export async function normalisedConfigText(path: string): Promise<string> {
  const raw = parseConfigText(await readFile(path, 'utf8'), path);
  return `${JSON.stringify(normalisePynnNames(raw), null, 2)}\n`;
}
