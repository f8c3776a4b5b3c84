/**
 * Parsing of a substrate's options record (`substrate: {name, ...options}` in a config, or
 * `--substrate-options`) against the keys the substrate declares. Every substrate uses it so that the
 * same rules hold everywhere:
 *  - only the record's OWN keys count: names that exist on Object.prototype (`constructor`, `toString`,
 *    `__proto__`, `hasOwnProperty`, ...) are unknown options like any other, never looked up there;
 *  - an unknown key is named with its path and the list of known keys;
 *  - a nested record (e.g. bss2's `mismatch`) is checked the same way, one level down.
 * A failed check throws an Error whose message is `<option path>: <reason>` (one line).
 */

/** Checks one option value at `path` (a JSON pointer such as `/substrate/chipSeed`); throws on a bad one. */
export type OptionCheck = (value: unknown, path: string) => void;

/** Throws the one-line option error `<path>: <reason>`. */
export function optionError(path: string, reason: string): never {
  throw new Error(`${path}: ${reason}`);
}

/** A short description of a value for option errors (strings cut to 40 characters). */
export function describeOptionValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `base` + one JSON-pointer token (RFC 6901 escaping). */
function childPath(base: string, key: string): string {
  return `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Checks that `value` is a plain record whose own keys are all declared in `checks`, and runs each key's
 * check. `what` names the record in messages, e.g. `option for substrate 'bss2'` or `mismatch option`.
 * Returns the record typed as a string-keyed object.
 */
export function checkOptionRecord(
  value: unknown,
  path: string,
  checks: Readonly<Record<string, OptionCheck>>,
  what: string,
): Readonly<Record<string, unknown>> {
  const known = Object.keys(checks);
  const knownText = known.length === 0 ? 'it takes none' : `known: ${known.join(', ')}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    optionError(path, `must be an object with some of ${known.join(', ')} (got ${describeOptionValue(value)})`);
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') optionError(path, `has a symbol key (${knownText})`);
    const at = childPath(path, key);
    if (!Object.hasOwn(checks, key)) optionError(at, `unknown ${what} (${knownText})`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) optionError(at, 'must be a plain value (not a getter)');
    checks[key](descriptor.value, at);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** A check for a nested options record declared by `checks` (see {@link checkOptionRecord}). */
export function optionRecord(checks: Readonly<Record<string, OptionCheck>>, what: string): OptionCheck {
  return (value, path) => void checkOptionRecord(value, path, checks, what);
}
