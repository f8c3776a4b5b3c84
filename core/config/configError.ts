/**
 * The one error type of config loading: where in the JSON document the first problem is, and what it is.
 */
export class ConfigError extends Error {
  /** JSON pointer (RFC 6901) to the offending value, e.g. `/populations/1/params/tau_m`; `/` for the root. */
  readonly path: string;
  /** What is wrong, in one line. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ConfigError';
    this.path = path;
    this.reason = reason;
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON pointer from tokens; no tokens gives the root pointer `/`. */
export function jsonPointer(...tokens: readonly (string | number)[]): string {
  if (tokens.length === 0) return '/';
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

/** Appends tokens to an existing pointer (the root pointer `/` is treated as empty). */
export function childPointer(base: string, ...tokens: readonly (string | number)[]): string {
  const prefix = base === '/' ? '' : base;
  if (tokens.length === 0) return base;
  return prefix + tokens.map((t) => `/${escapeToken(t)}`).join('');
}
