/**
 * The comparison behind `firstspike validate`: closed-form first spikes (docs/design.md section 1) against the
 * event engine's, neuron by neuron, with near-ties set aside (docs/model.md, "Validation against closed
 * forms"). The engine is injected, so a deliberately wrong one can show that the comparison fails.
 */
import type { FirstspikeConfig } from '../config/schema.ts';
import type { SimulationResult } from '../engine/simulate.ts';
import type { SimulationSpec } from '../simulation.ts';
import { generateCase, type CaseKind, type CaseOptions } from './cases.ts';
import { expectNetwork, type NearTieKind, type NearTieOptions, type NetworkExpectation } from './networkExpectation.ts';
import { specToConfig } from './toConfig.ts';

/** Runs the event engine on a spec, e.g. `(spec) => simulate(spec, { substrate: idealSubstrate })`. */
export type EngineRunner = (spec: SimulationSpec) => SimulationResult;

/** Default near-tie margin (mV): a maximum of V within this of v_thresh makes a neuron a near-tie. */
export const DEFAULT_NEAR_TIE_MARGIN_MV = 1e-9;
/**
 * Default near-tie resolution (ms): a crossing so flat that one rounding step of V at threshold moves it
 * by more than this makes a neuron a near-tie (its time is not defined to 1e-9 ms in double precision).
 */
export const DEFAULT_NEAR_TIE_RESOLUTION_MS = 1e-10;
/** Default tolerance on the largest |difference| of first-spike times (ms). */
export const DEFAULT_TOLERANCE_MS = 1e-9;

/** The neuron with the largest disagreement, and a config that reproduces its case. */
export interface WorstCase {
  /** Index of the generated case (0 for validateSpec). */
  readonly caseIndex: number;
  /** Kind of the generated case ('config' for validateSpec). */
  readonly kind: CaseKind | 'config';
  readonly neuron: { readonly population: string; readonly index: number };
  /** Closed-form first spike (ms), or null for none. */
  readonly closedFormMs: number | null;
  /** Engine first spike (ms), or null for none. */
  readonly engineMs: number | null;
  /** Closed-form tie margin of that neuron (mV). */
  readonly tieMarginMv: number;
  /** A ready-to-run config (docs/config.md) of the case: `firstspike simulate` reproduces the engine's side. */
  readonly config: FirstspikeConfig;
}

/** Outcome of a validation run. */
export interface ValidationResult {
  readonly cases: number;
  /** LIF neurons compared (near-ties excluded). */
  readonly neuronsCompared: number;
  /** Closed-form spikes among the compared neurons. */
  readonly spikes: number;
  /** Compared neurons where exactly one of closed form and engine fires. */
  readonly disagreements: number;
  /** Neurons set aside as near-ties (reported, not failures); see NearTieKind. */
  readonly nearTies: number;
  /** The near-ties by kind. */
  readonly nearTiesByKind: Readonly<Record<NearTieKind, number>>;
  /** Of the near-ties, how many had a spike/no-spike disagreement (informational, not failures). */
  readonly nearTieDisagreements: number;
  /** Largest |closed form - engine| over compared neurons where both fire (ms; 0 if none). */
  readonly maxAbsDiffMs: number;
  /** 99th percentile (nearest rank) of those differences (ms; 0 if none). */
  readonly p99AbsDiffMs: number;
  /** A spike/no-spike disagreement if any, else the largest difference; null when no neuron fired. */
  readonly worst: WorstCase | null;
}

/** Accumulates comparisons case by case. */
export class ValidationTally {
  private cases = 0;
  private compared = 0;
  private spikes = 0;
  private disagreements = 0;
  private nearTies = 0;
  private nearTiesByKind: Record<NearTieKind, number> = { margin: 0, flat: 0, upstream: 0 };
  private nearTieDisagreements = 0;
  private diffs: number[] = [];
  private worstScore = -1;
  private worstSpec: SimulationSpec | null = null;
  private worstInfo: Omit<WorstCase, 'config'> | null = null;


  /** Compares one case: the closed-form expectation against the engine's recorded spikes. */
  add(caseIndex: number, kind: WorstCase['kind'], spec: SimulationSpec, expected: NetworkExpectation, engine: SimulationResult): void {
    this.cases++;
    const pops = spec.network.populations;
    // the engine's first spike per (population, neuron): spikes are sorted by time
    const first = pops.map((p) => new Float64Array(p.size).fill(NaN));
    const s = engine.spikes;
    for (let k = 0; k < s.timeMs.length; k++) {
      const row = first[s.population[k]];
      if (row !== undefined && Number.isNaN(row[s.neuron[k]])) row[s.neuron[k]] = s.timeMs[k];
    }
    for (const p of expected.lifPopulations) {
      const neurons = expected.neurons[p];
      for (let i = 0; i < neurons.length; i++) {
        const e = neurons[i];
        const engineMs = Number.isNaN(first[p][i]) ? null : first[p][i];
        const mismatch = (e.timeMs === null) !== (engineMs === null);
        const tie = expected.nearTie[p][i];
        if (tie !== null) {
          this.nearTies++;
          this.nearTiesByKind[tie]++;
          if (mismatch) this.nearTieDisagreements++;
          continue;
        }
        this.compared++;
        if (e.timeMs !== null) this.spikes++;
        let score: number;
        if (mismatch) {
          this.disagreements++;
          score = Infinity;
        } else if (e.timeMs !== null && engineMs !== null) {
          score = Math.abs(e.timeMs - engineMs);
          this.diffs.push(score);
        } else continue;
        if (score > this.worstScore) {
          this.worstScore = score;
          this.worstSpec = spec;
          this.worstInfo = {
            caseIndex,
            kind,
            neuron: { population: pops[p].name, index: i },
            closedFormMs: e.timeMs,
            engineMs,
            tieMarginMv: e.tieMarginMv,
          };
        }
      }
    }
  }

  /** The summary so far. */
  result(): ValidationResult {
    const sorted = Float64Array.from(this.diffs).sort();
    const n = sorted.length;
    return {
      cases: this.cases,
      neuronsCompared: this.compared,
      spikes: this.spikes,
      disagreements: this.disagreements,
      nearTies: this.nearTies,
      nearTiesByKind: { ...this.nearTiesByKind },
      nearTieDisagreements: this.nearTieDisagreements,
      maxAbsDiffMs: n > 0 ? sorted[n - 1] : 0,
      p99AbsDiffMs: n > 0 ? sorted[Math.ceil(0.99 * n) - 1] : 0,
      worst:
        this.worstInfo === null || this.worstSpec === null
          ? null
          : { ...this.worstInfo, config: specToConfig(this.worstSpec) },
    };
  }
}

/** Options shared by {@link runValidation} and {@link validateSpec}. */
export interface CompareOptions {
  /** The engine to check. */
  readonly engine: EngineRunner;
  /** Near-tie margin (mV). Default {@link DEFAULT_NEAR_TIE_MARGIN_MV}. */
  readonly nearTieMarginMv?: number;
  /** Near-tie resolution (ms). Default {@link DEFAULT_NEAR_TIE_RESOLUTION_MS}. */
  readonly nearTieResolutionMs?: number;
}

function nearTieOptions(options: CompareOptions): NearTieOptions {
  return {
    marginMv: options.nearTieMarginMv ?? DEFAULT_NEAR_TIE_MARGIN_MV,
    resolutionMs: options.nearTieResolutionMs ?? DEFAULT_NEAR_TIE_RESOLUTION_MS,
  };
}

/** Options of {@link runValidation}. */
export interface ValidationOptions extends CaseOptions, CompareOptions {
  /** Number of generated cases. */
  readonly cases: number;
  /** Called after each case with the number done. */
  readonly onCase?: (done: number, total: number) => void;
}

/**
 * Generates `cases` cases (generateCase), predicts every LIF neuron's first spike with the closed forms,
 * runs each case on the engine and compares.
 */
export function runValidation(options: ValidationOptions): ValidationResult {
  const tally = new ValidationTally();
  const nearTie = nearTieOptions(options);
  for (let index = 0; index < options.cases; index++) {
    const c = generateCase(options, index);
    const expected = expectNetwork(c.spec.network, c.spec.durationMs, nearTie);
    tally.add(index, c.kind, c.spec, expected, options.engine(c.spec));
    options.onCase?.(index + 1, options.cases);
  }
  return tally.result();
}

/**
 * Validates a given network (e.g. from a config file): checks that the closed forms cover it
 * (checkClosedFormScope), then compares the first spike of every LIF neuron. The engine runs the spec
 * with every LIF population's spikes recorded and no traces.
 *
 * @throws ClosedFormScopeError when the network is outside the closed forms' scope
 */
export function validateSpec(spec: SimulationSpec, options: CompareOptions): ValidationResult {
  const expected = expectNetwork(spec.network, spec.durationMs, nearTieOptions(options));
  const run: SimulationSpec = { ...spec, recording: { spikes: expected.lifPopulations } };
  const tally = new ValidationTally();
  tally.add(0, 'config', spec, expected, options.engine(run));
  return tally.result();
}

/** Pass/fail of a result against a tolerance, with a one-line verdict. */
export function verdict(result: ValidationResult, toleranceMs: number): { readonly pass: boolean; readonly line: string } {
  const reasons: string[] = [];
  if (result.disagreements > 0) {
    reasons.push(`${result.disagreements} spike/no-spike disagreement${result.disagreements === 1 ? '' : 's'}`);
  }
  if (!(result.maxAbsDiffMs < toleranceMs)) {
    reasons.push(`max |difference| ${formatMs(result.maxAbsDiffMs)} ms >= tol ${formatMs(toleranceMs)} ms`);
  }
  const where = `${result.neuronsCompared} neurons in ${result.cases} case${result.cases === 1 ? '' : 's'}`;
  return reasons.length === 0
    ? {
        pass: true,
        line: `PASS: ${where}, no disagreements, max |difference| ${formatMs(result.maxAbsDiffMs)} ms < tol ${formatMs(toleranceMs)} ms`,
      }
    : { pass: false, line: `FAIL: ${where}: ${reasons.join('; ')}` };
}

/** A time difference in ms, in exponent form for small values. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (!Number.isFinite(ms)) return String(ms);
  return Math.abs(ms) < 1e-3 || Math.abs(ms) >= 1e6 ? ms.toExponential(2) : String(Number(ms.toPrecision(6)));
}
