import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';
import { CONFIG_SCHEMA } from './schema.ts';

/** ajv options of the config schema (shared by the run-time compile and the build's precompiled validator). */
export const CONFIG_AJV_OPTIONS: Options = {
  allErrors: false,
  verbose: true, // gives parentSchema and data in errors, used for the messages
  discriminator: true,
  allowUnionTypes: true,
  strict: true,
  strictRequired: false, // "required: [type]" sits beside the discriminator's oneOf
  strictTuples: false, // from_list entries are [pre, post] or [pre, post, weight]
};

/**
 * File name, beside this module, of the validator the build precompiles with ajv's standalone code
 * generation (scripts/build.mjs). Loading it instead of compiling the schema keeps ajv's compiler out of
 * the CLI's start-up; run from the TypeScript sources (tests), the schema is compiled at first use.
 */
export const PRECOMPILED_VALIDATOR_FILE = 'configValidator.precompiled.cjs';

let compiled: ValidateFunction | undefined;

/** The config schema's validator: the precompiled one if the build made it, else compiled now with ajv. */
export function configSchemaValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const require = createRequire(import.meta.url);
  try {
    compiled = require(`./${PRECOMPILED_VALIDATOR_FILE}`) as ValidateFunction;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    const { Ajv } = require('ajv') as typeof import('ajv');
    compiled = new Ajv(CONFIG_AJV_OPTIONS).compile(CONFIG_SCHEMA as object);
  }
  return compiled;
}
