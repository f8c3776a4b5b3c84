/**
 * Worker thread of runNetworkThreads: runs one part of the network (partition.ts) with core's lifDynamics,
 * trading spikes with the other parts at every window's end (windowExchange.ts), and posts its result.
 * It takes one run per message and stays for the next.
 */
import { parentPort } from 'node:worker_threads';
import { lifDynamics } from '../../lif/lifDynamics.ts';
import type { Network } from '../../network/network.ts';
import type { SpikeTable } from '../recorder.ts';
import { runNetworkPart, type RunStatistics } from '../runNetwork.ts';
import { partErrorOf, type PartError } from './partError.ts';
import { unpackSources, type PackedTrains } from './partition.ts';
import { WindowExchange, type ExchangeBuffers } from './windowExchange.ts';

/** What a part's worker is given for one run (a message: typed arrays are copied, the shared buffers shared). */
export interface PartitionWorkerData {
  readonly rank: number;
  readonly buffers: ExchangeBuffers;
  /** The part's network, its spike sources' trains packed (packedSources). */
  readonly network: Network;
  readonly packedSources: readonly (PackedTrains | null)[];
  readonly ownedFirst: Int32Array;
  readonly populationOrder: readonly number[];
  readonly fastEligible: readonly boolean[];
  readonly maxSpikes: number;
  readonly durationMs: number;
  readonly reference: boolean;
  /** LIF populations whose spikes this part records (all parts' spikes pass through each part). */
  readonly recordPopulations: readonly number[];
  /** Post progress messages (at most every `progressIntervalMs` of wall time). */
  readonly progress: boolean;
}

export type PartitionWorkerMessage =
  | { readonly type: 'progress'; readonly simulatedMs: number }
  | { readonly type: 'done'; readonly spikes: SpikeTable; readonly statistics: RunStatistics; readonly lastEndMs: number }
  | { readonly type: 'error'; readonly error: PartError };

const progressIntervalMs = 10;

const port = parentPort!;
const post = (message: PartitionWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** Runs one part; the worker stays for the caller's next run. */
function runPart(data: PartitionWorkerData): void {
  const exchange = new WindowExchange(
    data.buffers,
    data.rank,
    data.ownedFirst,
    data.populationOrder,
    data.fastEligible,
    data.maxSpikes,
    data.network.populations.map((p) => p.name),
  );
  let lastPost = performance.now();
  try {
    const result = runNetworkPart(
      {
        network: unpackSources(data.network, data.packedSources),
        dynamics: lifDynamics,
        durationMs: data.durationMs,
        recording: { spikes: data.recordPopulations },
        reference: data.reference,
        onProgress: data.progress
          ? (simulatedMs) => {
              const now = performance.now();
              if (now - lastPost < progressIntervalMs) return;
              lastPost = now;
              post({ type: 'progress', simulatedMs });
            }
          : undefined,
      },
      exchange,
    );
    exchange.finish();
    const s = result.spikes;
    post({ type: 'done', spikes: s, statistics: result.statistics, lastEndMs: exchange.lastEndMs }, [
      s.population.buffer as ArrayBuffer,
      s.neuron.buffer as ArrayBuffer,
      s.timeMs.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    exchange.abort();
    post({ type: 'error', error: partErrorOf(error, data.ownedFirst) });
  }
}

port.on('message', runPart);
