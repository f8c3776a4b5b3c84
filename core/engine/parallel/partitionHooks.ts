/**
 * What runNetworkPart (core/engine/runNetwork.ts) asks of the other threads when it runs one part of a
 * partitioned network (windowExchange.ts implements it over shared memory).
 */
export interface PartitionHooks {
  /**
   * Per population: whether the one-thread run would put it on the windowed fast path by its size and
   * parameters (a part holds a slice of each population, whose size and uniformity may differ).
   */
  readonly fastEligible: readonly boolean[];
  /** Synaptic events applied and spikes emitted by all parts up to the last exchange. */
  readonly activity: number;
  /** A spike of neuron `local` (index within this part's slice) of population pop at t. */
  emitted(pop: number, local: number, t: number): void;
  /**
   * The end of window [.., end): trades this part's spikes of the window and its activity count with the
   * other parts, then hands every part's spikes to `propagate` (neuron index within the whole population)
   * in the order one thread emits them. `nextInputTime` gives this part's next input (deliveries and source
   * spikes); it is asked for only when the part had no activity in the window.
   */
  exchange(
    end: number,
    activity: number,
    nextInputTime: () => number,
    propagate: (pop: number, neuron: number, t: number) => void,
  ): void;
  /**
   * After a window quiet in every part: the time of the next activity of the whole network, from the
   * earliest next input of all parts and, up to it, the earliest spontaneous crossing of all parts
   * (`nextCrossingTime(next)` gives this part's, searched up to `next`).
   */
  nextActivity(nextCrossingTime: (next: number) => number): number;
}
