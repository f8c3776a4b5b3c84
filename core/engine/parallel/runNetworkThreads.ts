import { Worker } from 'node:worker_threads';
import { isLifDynamics } from '../../lif/lifDynamics.ts';
import { LIF_PARAM_FIELDS } from '../../lif/params.ts';
import type { NeuronDynamics } from '../../substrate/dynamics.ts';
import { workerScript } from '../../workers/workerEntry.ts';
import { SpikeRecorder } from '../recorder.ts';
import { ThreadsRefusedError } from '../runLimits.ts';
import { runNetwork, type RunOptions, type RunResult, type RunStatistics } from '../runNetwork.ts';
import { planSchedule } from '../schedule.ts';
import { errorOfPart, type PartError } from './partError.ts';
import { fastPathEligible, packSources, partitionNetwork } from './partition.ts';
import type { PartitionWorkerData, PartitionWorkerMessage } from './partitionWorker.ts';
import { abortExchange, exchangeBuffers } from './windowExchange.ts';

/** Options of {@link runNetworkThreads}: runNetwork's, and the number of threads. */
export interface ThreadedRunOptions<C> extends RunOptions<C> {
  /** Threads to run on (an integer >= 1); 1 runs {@link runNetwork} on the calling thread. */
  readonly threads: number;
}

/** Workers of finished runs, kept (unreferenced: they do not hold the process open) for the next run. */
const idle: Worker[] = [];

/** `count` workers running partitionWorker: idle ones first, then new ones. */
function takeWorkers(count: number): Worker[] {
  const workers = idle.splice(0, count);
  while (workers.length < count) {
    const w = new Worker(workerScript(import.meta.url, 'partitionWorker'), { eval: true });
    // a worker that ends while idle leaves the pool (a run's own exit handler covers one that ends in a run)
    w.once('exit', () => {
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
    });
    workers.push(w);
  }
  for (const w of workers) w.ref();
  return workers;
}

/** Why `options` cannot run on several threads, or null when it can. */
export function threadedRunRefusal<C>(options: ThreadedRunOptions<C>): string | null {
  const { network, threads } = options;
  if (!Number.isInteger(threads) || threads < 1) return `threads must be an integer >= 1, got ${threads}`;
  if (threads === 1) return null;
  if (!isLifDynamics(options.dynamics as NeuronDynamics<unknown>)) {
    return "only core's exact LIF dynamics (lifDynamics, the ideal substrate's) run on several threads (a worker cannot be handed other dynamics' functions)";
  }
  const zero = network.projections.findIndex((p) => network.populations[p.source].kind === 'lif' && !(p.delayMs > 0));
  if (zero >= 0) {
    return `projection ${zero} ('${network.projections[zero].name}') joins LIF populations with delay 0: its spikes act within the window, which the threaded engine does not split`;
  }
  if ((options.recording.membrane ?? []).some((m) => m.indices.length > 0)) return 'membrane traces are recorded on one thread only';
  if (options.observation !== undefined) return 'observed spike times (a substrate observation) are applied on one thread only';
  return null;
}

/**
 * Runs a network like {@link runNetwork}, its LIF neurons split over `threads` worker threads, and gives
 * the same result bit for bit: the same spikes, times and statistics (docs/design.md section 2c).
 *
 * Each thread owns a contiguous slice of every LIF population and the synapses onto it; after every
 * lookahead window the threads trade the window's spikes over shared memory at one barrier. Runs on several
 * threads only with core's lifDynamics, without zero-delay projections between LIF populations, membrane
 * traces or an observation: anything else is refused with a ThreadsRefusedError saying why (never a
 * silent fallback).
 * The spike limit is checked after each window's exchange, so a run over the limit stops at the end of the
 * window instead of at the spike (with the same SpikeLimitError). An error in any thread stops all threads
 * and rejects the promise with it; when several threads fail in one window, the lowest thread's error is
 * reported, which need not be the one the one-thread run meets first. `onProgress` is called from the
 * caller's event loop, at most every 10 ms of wall time and once at the end. The workers stay
 * (unreferenced, so they do not keep the process alive) and serve the next run.
 */
export async function runNetworkThreads<C>(options: ThreadedRunOptions<C>): Promise<RunResult> {
  const refusal = threadedRunRefusal(options);
  if (refusal !== null) throw new ThreadsRefusedError(options.threads, refusal);
  if (options.threads === 1) return runNetwork(options);
  const { network, threads, recording } = options;
  const pops = network.populations;
  const parts = partitionNetwork(network, threads);
  const fastEligible = fastPathEligible(network, options.fastPathMinNeurons ?? 64);
  const populationOrder = planSchedule(network).groups.flatMap((g) => g.populations);
  const recorded = recording.spikes ?? pops.flatMap((p, idx) => (p.kind === 'lif' ? [idx] : []));
  const buffers = exchangeBuffers(threads);

  const results: ({ spikes: RunResult['spikes']; statistics: RunStatistics; lastEndMs: number } | null)[] = parts.map(() => null);
  const errors: (PartError | null)[] = parts.map(() => null);
  const workers = takeWorkers(threads);
  const answered = workers.map(() => false);
  const finished = parts.map((part, rank) => {
    const { network: sent, packed } = packSources(part.network);
    const data: PartitionWorkerData = {
      rank,
      buffers,
      network: sent,
      packedSources: packed,
      ownedFirst: part.ownedFirst,
      populationOrder,
      fastEligible,
      maxSpikes: options.maxSpikes ?? Infinity,
      durationMs: options.durationMs,
      reference: options.reference ?? false,
      recordPopulations: rank === 0 ? recorded.filter((p) => pops[p].kind === 'lif') : [],
      progress: rank === 0 && options.onProgress !== undefined,
    };
    const worker = workers[rank];
    return new Promise<void>((resolve) => {
      const fail = (error: PartError): void => {
        errors[rank] ??= error;
        abortExchange(buffers);
      };
      const onMessage = (m: PartitionWorkerMessage): void => {
        if (m.type === 'progress') options.onProgress?.(m.simulatedMs);
        else {
          if (m.type === 'done') results[rank] = m;
          else fail(m.error);
          answered[rank] = true;
          settle();
        }
      };
      const onError = (e: Error): void => fail({ kind: 'other', name: e.name, message: `thread ${rank}: ${e.message}`, stack: e.stack });
      const onExit = (code: number): void => {
        fail({ kind: 'other', name: 'Error', message: `thread ${rank} exited (code ${code}) before finishing`, stack: undefined });
        settle();
      };
      const settle = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // the part's own arrays move to the worker, not copied (the caller's spike trains were copied by packing)
      const own = part.network.projections.flatMap((p) => [p.synapses.rowStart.buffer, p.synapses.targets.buffer, p.synapses.weights.buffer]);
      for (const x of packed) if (x !== null) own.push(x.times.buffer, x.start.buffer);
      for (const p of part.network.populations) {
        if (p.kind === 'lif') own.push(p.initialVMv.buffer, ...LIF_PARAM_FIELDS.map((f) => p.params[f].buffer));
      }
      worker.postMessage(data, own as ArrayBuffer[]);
    });
  });
  await Promise.all(finished);
  // a worker that answered (a result or the error it caught) serves the next run; one that did not has ended
  workers.forEach((w, rank) => (answered[rank] ? idle.push(w) : void w.terminate()));
  for (const w of workers) w.unref();

  const failed = errors.find((e) => e !== null && e.kind !== 'aborted') ?? errors.find((e) => e !== null);
  if (failed !== undefined && failed !== null) throw errorOfPart(failed);
  const done = results as NonNullable<(typeof results)[number]>[];
  const first = done[0];
  const sum = (f: (s: RunStatistics) => number): number => done.reduce((a, r) => a + f(r.statistics), 0);
  const statistics: RunStatistics = {
    spikesEmitted: sum((s) => s.spikesEmitted),
    externalEvents: sum((s) => s.externalEvents),
    recurrentEvents: sum((s) => s.recurrentEvents),
    windows: first.statistics.windows,
    windowMs: first.statistics.windowMs,
    bulkNeuronWindows: sum((s) => s.bulkNeuronWindows),
    sweptNeuronWindows: sum((s) => s.sweptNeuronWindows),
  };
  // the LIF spikes of every part reached part 0; spike sources are recorded up to the last window's end,
  // as the one-thread run does
  const spikes = new SpikeRecorder();
  const lif = first.spikes;
  for (let q = 0; q < lif.timeMs.length; q++) spikes.add(lif.population[q], lif.neuron[q], lif.timeMs[q]);
  for (const p of recorded) {
    const src = pops[p];
    if (src.kind !== 'source') continue;
    src.spikeTimesMs.forEach((times, j) => {
      for (let q = 0; q < times.length && times[q] < first.lastEndMs; q++) spikes.add(p, j, times[q]);
    });
  }
  if (first.lastEndMs > 0) options.onProgress?.(first.lastEndMs);
  return { spikes: spikes.finish(), traces: [], statistics };
}
