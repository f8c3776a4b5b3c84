import { Command, Option } from 'commander';
import type { ClosedFormRatio } from '../../core/closedForm/firstSpikeTime.ts';
import { loadConfigFile } from '../../core/config/index.ts';
import { simulate } from '../../core/engine/simulate.ts';
import type { SimulationSpec } from '../../core/simulation.ts';
import { substrateNames } from '../../core/substrate/registry.ts';
import {
  ClosedFormScopeError,
  DEFAULT_NEAR_TIE_MARGIN_MV,
  DEFAULT_NEAR_TIE_RESOLUTION_MS,
  DEFAULT_TOLERANCE_MS,
  MAX_LAYERS,
  formatConfigJson,
  formatMs,
  runValidation,
  validateSpec,
  verdict,
  type EngineRunner,
  type ValidationResult,
} from '../../core/validation/index.ts';
import { idealSubstrate } from '../../substrates/ideal/index.ts';
import { UsageError, ValidationFailedError, writeFileAtomic, type CliIo } from '../io.ts';
import { loadPlugins, pluginOption } from '../plugins.ts';
import { startProgress } from '../progress.ts';

/** The engine `firstspike validate` checks: the exact engine on the ideal substrate. */
export const idealEngine: EngineRunner = (spec) => simulate(spec, { substrate: idealSubstrate });

export { ValidationFailedError };

interface ValidateOptions {
  cases: string;
  seed: string;
  ratio: string;
  layers: string;
  config?: string;
  tol: string;
  nearTie: string;
  nearTieResolution: string;
  worstOut?: string;
  json?: boolean;
  plugin?: string[];
}

/** A whole number in [min, max] given as decimal digits (and an optional leading minus). */
function integerOption(name: string, text: string, min: number, max: number, what: string): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: must be ${what} (got '${text}')`);
  }
  return value;
}

/** A finite number above (or, with `orEqual`, at least) `min`. */
function numberOption(name: string, text: string, min: number, orEqual: boolean, unit: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < min || (!orEqual && value === min)) {
    throw new UsageError(`--${name}: must be a number ${orEqual ? '>=' : '>'} ${min} (${unit}; got '${text}')`);
  }
  return value;
}

function describeFamily(ratio: ClosedFormRatio, layers: number, seed: number): string {
  const taus = ratio === 1 ? 'tau_m = tau_syn (ratio 1)' : 'tau_m = 2 tau_syn (ratio 2)';
  const family =
    layers === 1
      ? 'single neurons at rest, 1..200 mixed-sign inputs'
      : `${layers}-layer feed-forward nets, 2..20 inputs, 3..20 neurons per layer, all-to-all, zero delay`;
  return `${family}, ${taus}, seed ${seed}`;
}

function summaryLines(result: ValidationResult, tolMs: number): string[] {
  const rows: [string, string][] = [
    ['cases', String(result.cases)],
    ['neurons compared', `${result.neuronsCompared} (${result.spikes} with a closed-form spike)`],
    ['spike/no-spike disagreements', String(result.disagreements)],
    [
      'near-ties (not failures)',
      `${result.nearTies} (margin ${result.nearTiesByKind.margin}, flat ${result.nearTiesByKind.flat}, ` +
        `upstream ${result.nearTiesByKind.upstream}; ${result.nearTieDisagreements} of them disagree on spike/no-spike)`,
    ],
    ['max |difference|', `${formatMs(result.maxAbsDiffMs)} ms (tol ${formatMs(tolMs)} ms)`],
    ['99th percentile |difference|', `${formatMs(result.p99AbsDiffMs)} ms`],
  ];
  const w = result.worst;
  rows.push([
    'worst case',
    w === null
      ? 'none (no compared neuron fired)'
      : `#${w.caseIndex} (${w.kind}), neuron ${w.neuron.population}[${w.neuron.index}]: ` +
        `closed form ${w.closedFormMs === null ? 'no spike' : `${w.closedFormMs} ms`}, ` +
        `engine ${w.engineMs === null ? 'no spike' : `${w.engineMs} ms`}`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
}

/** Options for tests: the engine under test (default: the ideal substrate's exact engine). */
export interface ValidateCommandOptions {
  readonly engine?: EngineRunner;
}

export function validateCommand(io: CliIo, commandOptions: ValidateCommandOptions = {}): Command {
  const engine = commandOptions.engine ?? idealEngine;
  const cmd = new Command('validate')
    .description(
      'check the event engine against the closed-form first-spike times (Goeltz et al. 2021) on seeded ' +
        'random cases, or on a given feed-forward network; exit 0 only with no spike/no-spike ' +
        'disagreements and max |difference| < --tol (near-ties are reported, not failures; see docs/model.md)',
    )
    .option('--cases <n>', 'number of generated cases (integer >= 1)', '1000')
    .option('--seed <s>', 'master seed of the case streams (integer >= 0)', '0')
    .addOption(new Option('--ratio <r>', 'tau_m / tau_syn of the generated neurons: 1 or 2').default('1'))
    .addOption(
      new Option('--layers <l>', `LIF layers per case: 1 = single neurons, 2..${MAX_LAYERS} = layered feed-forward nets`).default('1'),
    )
    .option('--config <file>', 'validate this JSON config (docs/config.md) instead of generated cases; it must be feed-forward, every LIF neuron with tau_m / tau_syn 1 or 2, tau_syn_E = tau_syn_I, i_offset 0, starting at rest')
    .option('--tol <ms>', 'tolerance on the largest |difference| of first-spike times (ms, > 0)', String(DEFAULT_TOLERANCE_MS))
    .option('--near-tie <mV>', 'near-tie margin: a maximum of V within this of v_thresh (mV, >= 0)', String(DEFAULT_NEAR_TIE_MARGIN_MV))
    .option(
      '--near-tie-resolution <ms>',
      'near-tie resolution: a crossing so flat that one rounding step of V moves it by more than this (ms, > 0)',
      String(DEFAULT_NEAR_TIE_RESOLUTION_MS),
    )
    .option('--worst-out <file>', "write the worst case's config to this file (atomically) instead of printing it")
    .option('--json', 'print the result as JSON')
    .addOption(pluginOption())
    .addHelpText(
      'after',
      '\nThe engine runs on the ideal substrate. Near-ties (margin, flat or upstream of one) are counted but\n' +
        'not compared. Exit codes: 0 pass, 1 validation failed, 2 bad options or a config outside the closed\n' +
        "forms' scope.\n\nExamples:\n  firstspike validate --cases 10000 --ratio 2\n  firstspike validate --layers 3 --cases 300\n" +
        '  firstspike validate --config net.json --worst-out worst.json\n',
    );
  cmd.action(async (opts: ValidateOptions) => {
    await loadPlugins(opts.plugin);
    const tolMs = numberOption('tol', opts.tol, 0, false, 'ms');
    const nearTieMarginMv = numberOption('near-tie', opts.nearTie, 0, true, 'mV');
    const nearTieResolutionMs = numberOption('near-tie-resolution', opts.nearTieResolution, 0, false, 'ms');
    const cases = integerOption('cases', opts.cases, 1, 10_000_000, 'an integer from 1 to 10000000');
    const seed = integerOption('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER, 'an integer >= 0');
    if (opts.ratio.trim() !== '1' && opts.ratio.trim() !== '2') {
      throw new UsageError(`--ratio: must be 1 or 2 (got '${opts.ratio}')`);
    }
    const ratio = Number(opts.ratio) as ClosedFormRatio;
    const layers = integerOption('layers', opts.layers, 1, MAX_LAYERS, `an integer from 1 to ${MAX_LAYERS}`);

    let result: ValidationResult;
    let header: string[];
    if (opts.config !== undefined) {
      for (const name of ['cases', 'seed', 'ratio', 'layers'] as const) {
        if (cmd.getOptionValueSource(name) === 'cli') {
          throw new UsageError(`--${name}: cannot be combined with --config (the config gives the network)`);
        }
      }
      const spec: SimulationSpec = await loadConfigFile(opts.config, { knownSubstrates: substrateNames() });
      try {
        result = validateSpec(spec, { engine, nearTieMarginMv, nearTieResolutionMs });
      } catch (error) {
        if (error instanceof ClosedFormScopeError) throw new UsageError(`--config: '${opts.config}': ${error.message}`);
        throw error;
      }
      const lif = spec.network.populations.filter((p) => p.kind === 'lif');
      header = [
        `network:  ${opts.config} (${lif.reduce((n, p) => n + p.size, 0)} LIF neurons in ${lif.length} populations, ${spec.durationMs} ms)`,
      ];
      if (spec.substrate.name !== 'ideal') {
        header.push(`note:     the config names substrate '${spec.substrate.name}'; validation runs the ideal substrate (the closed forms describe the nominal model)`);
      }
    } else {
      const progress = startProgress(io, cases, 'validating', 'cases');
      try {
        result = runValidation({
          cases,
          seed,
          ratio,
          layers,
          engine,
          nearTieMarginMv,
          nearTieResolutionMs,
          onCase: (done) => progress.update(done),
        });
      } finally {
        progress.stop();
      }
      header = [`family:   ${describeFamily(ratio, layers, seed)}`];
    }
    const outcome = verdict(result, tolMs);

    if (opts.worstOut !== undefined && result.worst !== null) {
      await writeFileAtomic(opts.worstOut, `${formatConfigJson(result.worst.config)}\n`).catch((error: unknown) => {
        throw error instanceof UsageError ? new UsageError(error.message.replace(/^--out:/, '--worst-out:')) : error;
      });
    }
    if (opts.json === true) {
      io.stdout(`${JSON.stringify({ ...result, tolMs, pass: outcome.pass, verdict: outcome.line }, null, 2)}\n`);
    } else {
      const lines = [
        'firstspike validate: closed-form first-spike times vs the event engine (ideal substrate)',
        ...header,
        ...summaryLines(result, tolMs),
      ];
      if (result.worst !== null) {
        if (opts.worstOut !== undefined) {
          lines.push(`worst case config written to ${opts.worstOut} (reproduce with: firstspike simulate ${opts.worstOut})`);
        } else if (opts.config !== undefined) {
          lines.push(`worst case config: the network of ${opts.config} (reproduce with: firstspike simulate ${opts.config})`);
        } else {
          lines.push('worst case config (save it as worst.json and run: firstspike simulate worst.json):');
          lines.push(formatConfigJson(result.worst.config));
        }
      }
      lines.push(outcome.line);
      io.stdout(`${lines.join('\n')}\n`);
    }
    if (!outcome.pass) throw new ValidationFailedError(`validation failed: ${outcome.line.replace(/^FAIL: /, '')}`);
  });
  return cmd;
}
