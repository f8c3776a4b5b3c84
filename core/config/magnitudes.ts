import { ConfigError, childPointer, jsonPointer } from './configError.ts';
import type { FirstspikeConfig, IfCurrExpParamsConfig, WeightConfig } from './schema.ts';

/*
 * Bounds on the magnitude of model quantities, checked after the schema. The schema admits any finite
 * double, but the exact LIF solution multiplies currents by time constants and divides by the capacitance
 * (V_inf - v_rest = I * tau_m / cm) and takes exponentials of t / tau: a weight of 5e307 nA or a cm of
 * 1e-320 nF overflows to Infinity/NaN (NaN traces, no spikes, or a threshold search that never ends).
 * Inside these bounds every product of the solution stays far inside double range (1e9 * 1e9 / 1e-9 =
 * 1e27), and they are many orders of magnitude beyond any physiological or hardware value. The engine
 * still stops with a one-line error if a state becomes non-finite (core/engine/runLimits.ts).
 */

/** Largest |current| or |weight| (nA): weights, i_offset, weight distribution parameters. */
export const MAX_ABS_CURRENT_NA = 1e9;
/** Largest |potential| (mV): v_rest, v_reset, v_thresh, initial_v. */
export const MAX_ABS_POTENTIAL_MV = 1e9;
/** Time constants tau_m, tau_syn_E, tau_syn_I (ms) lie in [MIN_TIME_CONSTANT_MS, MAX_TIME_CONSTANT_MS]. */
export const MIN_TIME_CONSTANT_MS = 1e-9;
export const MAX_TIME_CONSTANT_MS = 1e9;
/** cm (nF) lies in [MIN_CAPACITANCE_NF, MAX_CAPACITANCE_NF]. */
export const MIN_CAPACITANCE_NF = 1e-9;
export const MAX_CAPACITANCE_NF = 1e9;
/** Largest tau_refrac (ms). */
export const MAX_REFRACTORY_MS = 1e12;
/** Smallest positive delay (ms) between populations; 0 (same instant) is allowed. */
export const MIN_POSITIVE_DELAY_MS = 1e-9;

type Bound = readonly [min: number, max: number, unit: string];

const PARAM_BOUNDS: Readonly<Record<keyof IfCurrExpParamsConfig, Bound>> = {
  tau_m: [MIN_TIME_CONSTANT_MS, MAX_TIME_CONSTANT_MS, 'ms'],
  tau_syn_E: [MIN_TIME_CONSTANT_MS, MAX_TIME_CONSTANT_MS, 'ms'],
  tau_syn_I: [MIN_TIME_CONSTANT_MS, MAX_TIME_CONSTANT_MS, 'ms'],
  cm: [MIN_CAPACITANCE_NF, MAX_CAPACITANCE_NF, 'nF'],
  v_rest: [-MAX_ABS_POTENTIAL_MV, MAX_ABS_POTENTIAL_MV, 'mV'],
  v_reset: [-MAX_ABS_POTENTIAL_MV, MAX_ABS_POTENTIAL_MV, 'mV'],
  v_thresh: [-MAX_ABS_POTENTIAL_MV, MAX_ABS_POTENTIAL_MV, 'mV'],
  tau_refrac: [0, MAX_REFRACTORY_MS, 'ms'],
  i_offset: [-MAX_ABS_CURRENT_NA, MAX_ABS_CURRENT_NA, 'nA'],
};

const WHY = 'values outside this range overflow the exact solution in double precision';

function check(value: number, path: string, [min, max, unit]: Bound): void {
  if (value < min || value > max) {
    const range = min === -max ? `within +-${max} ${unit}` : `in [${min}, ${max}] ${unit}`;
    throw new ConfigError(path, `must be ${range} (got ${value}; ${WHY})`);
  }
}

const CURRENT: Bound = [-MAX_ABS_CURRENT_NA, MAX_ABS_CURRENT_NA, 'nA'];

function checkParams(params: IfCurrExpParamsConfig | undefined, path: string): void {
  if (params === undefined) return;
  for (const key of Object.keys(PARAM_BOUNDS) as (keyof IfCurrExpParamsConfig)[]) {
    const v = params[key];
    if (v !== undefined) check(v, childPointer(path, key), PARAM_BOUNDS[key]);
  }
}

function checkWeight(weight: WeightConfig | undefined, path: string): void {
  if (weight === undefined) return;
  if (typeof weight === 'number') return check(weight, path, CURRENT);
  if (Array.isArray(weight)) {
    const items = weight as readonly (number | readonly number[])[];
    items.forEach((item, i) => {
      if (typeof item === 'number') check(item, childPointer(path, i), CURRENT);
      else item.forEach((w, j) => check(w, childPointer(path, i, j), CURRENT));
    });
    return;
  }
  for (const [key, v] of Object.entries(weight)) {
    if (typeof v === 'number') check(v, childPointer(path, key), CURRENT);
  }
}

/** Checks the magnitude bounds above over a schema-valid config; throws a ConfigError at the first breach. */
export function checkMagnitudes(config: FirstspikeConfig): void {
  config.populations.forEach((pop, p) => {
    const path = jsonPointer('populations', p);
    if (pop.type !== 'IF_curr_exp') return;
    checkParams(pop.params, childPointer(path, 'params'));
    (pop.overrides ?? []).forEach((o, k) => checkParams(o.params, childPointer(path, 'overrides', k, 'params')));
    const potential: Bound = [-MAX_ABS_POTENTIAL_MV, MAX_ABS_POTENTIAL_MV, 'mV'];
    if (typeof pop.initial_v === 'number') check(pop.initial_v, childPointer(path, 'initial_v'), potential);
    else pop.initial_v?.forEach((v, i) => check(v, childPointer(path, 'initial_v', i), potential));
  });
  (config.projections ?? []).forEach((proj, p) => {
    const path = jsonPointer('projections', p);
    checkWeight(proj.weight, childPointer(path, 'weight'));
    if (proj.connector.type === 'from_list') {
      proj.connector.connections.forEach((entry, k) => {
        if (entry.length === 3) check(entry[2], childPointer(path, 'connector', 'connections', k, 2), CURRENT);
      });
    }
    const delay = proj.delay ?? 0;
    if (delay > 0 && delay < MIN_POSITIVE_DELAY_MS) {
      throw new ConfigError(
        childPointer(path, 'delay'),
        `must be 0 or >= ${MIN_POSITIVE_DELAY_MS} ms (got ${delay}; a shorter positive delay cuts the run into ` +
          'more windows than it can ever finish)',
      );
    }
  });
}
