import fc from 'fast-check';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { gridDouble } from '../arbitraries/gridDouble.ts';
import { neuronCaseArbitrary, unitCurrents, type NeuronCase } from '../arbitraries/neuronCase.ts';
import { copyStates, describeParams, describeState, loadStates, paramArraysOf, stateDifference } from './_internals/neurons.ts';
import { requireExercised, runProperty, violated, type CheckSummary } from './failure.ts';
import { resolveConformanceOptions, type ConformanceOptions } from './options.ts';

/** One case of the composition check. */
export interface CompositionCase {
  /** 1-3 neurons in one set of state arrays; the last one is advanced. */
  readonly neurons: readonly NeuronCase[];
  /** Time the states refer to (ms). */
  readonly lastMs: number;
  /** The neuron is advanced to lastMs + horizonMs (ms). */
  readonly horizonMs: number;
  /** Intermediate stops as fractions of the horizon (sorted before use). */
  readonly stops: readonly number[];
  /** Input spikes received at lastMs, in unit currents. */
  readonly inputs: readonly number[];
}

/** Cases of {@link checkPropagatorComposition}. */
export function compositionCaseArbitrary(options: ConformanceOptions = {}): fc.Arbitrary<CompositionCase> {
  const o = resolveConformanceOptions(options);
  return fc.record({
    neurons: fc.array(neuronCaseArbitrary({ params: o.params }), { minLength: 1, maxLength: 3 }),
    lastMs: fc.constantFrom(0, 1.5, 37.25, 1000.1),
    horizonMs: gridDouble(o.horizonMs),
    stops: fc.array(gridDouble({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }),
    inputs: fc.array(gridDouble({ min: -2, max: 3 }), { maxLength: 2 }),
  });
}

/**
 * Propagator composition: advancing a neuron through intermediate stops t1 <= t2 <= ... to T gives the
 * same state as advancing it to T directly (V to `relativeTolerance` x max(1 mV, |V|), currents to
 * `relativeTolerance` relative, plus 1e-300 nA for subnormal currents), across refractory periods too; `membranePotentialAt(t)` equals V after
 * `advanceTo(t)` at every stop and does not change the state; `advanceTo` leaves other neurons alone.
 * Throws {@link ConformanceFailure} with the shrunk counterexample.
 */
export function checkPropagatorComposition<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): CheckSummary {
  const o = resolveConformanceOptions(options);
  const dyn = substrate.dynamics;
  const relTol = o.relativeTolerance;
  const counts = { acrossRefractoryEnd: 0, stops: 0, moving: 0 };
  runProperty(
    {
      check: 'composition',
      property: 'advanceTo(t1) then advanceTo(t2) equals advanceTo(t2), and membranePotentialAt agrees',
      substrateName: substrate.name,
    },
    compositionCaseArbitrary(options),
    (c) => {
      const n = c.neurons.length;
      const i = n - 1;
      const params = c.neurons.map((x) => x.params);
      const k = dyn.prepare(paramArraysOf(params));
      const s0 = loadStates(c.neurons, c.lastMs);
      const unit = unitCurrents(params[i]);
      for (const w of c.inputs) dyn.receive(s0, k, i, w >= 0 ? w * unit.excNa : w * unit.inhNa);
      const tEnd = c.lastMs + c.horizonMs;
      const stops = [...c.stops].sort((a, b) => a - b).map((f) => Math.min(tEnd, c.lastMs + f * c.horizonMs));
      const start = copyStates(s0);
      const where = (): string =>
        `neuron ${i} of ${n}: ${describeParams(params[i])}\nstate: ${describeState(start, i)}\nstops ${stops.join(', ')} ms, end ${tEnd} ms`;
      const closeV = (a: number, b: number): boolean => Math.abs(a - b) <= relTol * Math.max(1, Math.abs(a), Math.abs(b));
      // currents decay toward 0 and may end up subnormal, where relative precision is lost: floor 1e-300 nA
      const closeI = (a: number, b: number): boolean => Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;

      const stepwise = copyStates(s0);
      for (const t of stops) {
        const predicted = dyn.membranePotentialAt(s0, k, i, t);
        dyn.advanceTo(stepwise, k, i, t);
        counts.stops++;
        if (stepwise.lastMs[i] !== t) violated(`advanceTo(${t}) left lastMs at ${stepwise.lastMs[i]}\n${where()}`);
        if (!closeV(predicted, stepwise.vMv[i])) {
          violated(
            `membranePotentialAt(${t}) from the start = ${predicted} mV but stepwise advanceTo gives V = ${stepwise.vMv[i]} mV\n${where()}`,
          );
        }
      }
      dyn.advanceTo(stepwise, k, i, tEnd);
      const direct = copyStates(s0);
      dyn.advanceTo(direct, k, i, tEnd);
      const predictedEnd = dyn.membranePotentialAt(s0, k, i, tEnd);
      const touched = stateDifference(start, s0);
      if (touched !== null) violated(`membranePotentialAt changed the state (${touched})\n${where()}`);
      const others = stateDifference(start, direct, (j) => j !== i) ?? stateDifference(start, stepwise, (j) => j !== i);
      if (others !== null) violated(`advanceTo(neuron ${i}) changed another neuron (${others})\n${where()}`);
      const report = (what: string, a: number, b: number): never =>
        violated(`${what}: stepwise ${a}, direct ${b} (difference ${a - b})\n${where()}`);
      if (direct.lastMs[i] !== tEnd || stepwise.lastMs[i] !== tEnd) report('lastMs after advanceTo(end)', stepwise.lastMs[i], direct.lastMs[i]);
      if (!closeV(stepwise.vMv[i], direct.vMv[i])) report('V (mV)', stepwise.vMv[i], direct.vMv[i]);
      if (!closeI(stepwise.iExcNa[i], direct.iExcNa[i])) report('I_E (nA)', stepwise.iExcNa[i], direct.iExcNa[i]);
      if (!closeI(stepwise.iInhNa[i], direct.iInhNa[i])) report('I_I (nA)', stepwise.iInhNa[i], direct.iInhNa[i]);
      if (!closeV(predictedEnd, direct.vMv[i])) {
        violated(`membranePotentialAt(${tEnd}) = ${predictedEnd} mV but advanceTo gives V = ${direct.vMv[i]} mV\n${where()}`);
      }
      if (start.refractoryUntilMs[i] > c.lastMs && start.refractoryUntilMs[i] < tEnd) counts.acrossRefractoryEnd++;
      if (direct.vMv[i] !== start.vMv[i]) counts.moving++;
    },
    o.neuronRuns,
    o,
  );
  requireExercised(
    { check: 'composition', property: 'advanceTo(t1) then advanceTo(t2) equals advanceTo(t2), and membranePotentialAt agrees', substrateName: substrate.name },
    'a membrane potential that changed over the window',
    counts.moving,
    o.neuronRuns,
    o,
  );
  return { check: 'composition', runs: { composition: o.neuronRuns }, counts };
}
