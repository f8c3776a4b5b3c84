import { readFile } from 'node:fs/promises';
import { checkSweepSpec, SpecError, type SweepSpec } from './spec.ts';
import { SweepStoreError } from './store.ts';

/** Reads and checks a spec file; any problem is a one-line SweepStoreError `<file>#<JSON pointer>: <reason>`. */
export async function loadSweepSpec(path: string): Promise<SweepSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SweepStoreError(`${path}: cannot read the spec (${error instanceof Error && 'code' in error ? String(error.code) : String(error)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SweepStoreError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return checkSweepSpec(doc);
  } catch (error) {
    if (error instanceof SpecError) throw new SweepStoreError(`${path}#${error.pointer}: ${error.reason}`);
    throw error;
  }
}
