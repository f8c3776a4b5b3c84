import type { Network } from '../network/network.ts';

/** A set of LIF populations processed together within a window. */
export interface PopulationGroup {
  /** Population indices, ascending. */
  readonly populations: readonly number[];
  /**
   * True when zero-delay projections connect the group's populations in a cycle (or a population to
   * itself): its neurons then interact within a window and are run event by event on a shared queue.
   * Otherwise each neuron sweeps its own inputs independently.
   */
  readonly eventDriven: boolean;
}

/** How the engine splits time and populations (docs/design.md section 2b). */
export interface Schedule {
  /**
   * Window length (ms): the smallest positive delay of any projection between LIF populations. A spike
   * emitted inside a window over such a projection cannot arrive before the window ends, so within a
   * window each group depends only on inputs already known. Infinity when there is no such projection.
   */
  readonly windowMs: number;
  /** Groups in an order that respects zero-delay projections (sources of such edges first). */
  readonly groups: readonly PopulationGroup[];
}

/** Derives the window length and the group order from the network's delays. */
export function planSchedule(network: Network): Schedule {
  const pops = network.populations;
  let windowMs = Infinity;
  const zeroDelayTargets: number[][] = pops.map(() => []);
  for (const p of network.projections) {
    if (pops[p.source].kind !== 'lif') continue;
    if (p.delayMs > 0) windowMs = Math.min(windowMs, p.delayMs);
    else zeroDelayTargets[p.source].push(p.target);
  }

  // Tarjan's strongly connected components over LIF populations and zero-delay edges.
  const index = new Array<number>(pops.length).fill(-1);
  const low = new Array<number>(pops.length).fill(0);
  const onStack = new Array<boolean>(pops.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (v: number): void => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    for (const w of zeroDelayTargets[v]) {
      if (index[w] < 0) {
        visit(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
    }
    if (low[v] === index[v]) {
      const comp: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = false;
        comp.push(w);
      } while (w !== v);
      components.push(comp.sort((x, y) => x - y));
    }
  };
  for (let v = 0; v < pops.length; v++) if (pops[v].kind === 'lif' && index[v] < 0) visit(v);

  // Tarjan emits components in reverse topological order.
  const groups = components.reverse().map((comp) => ({
    populations: comp,
    eventDriven: comp.length > 1 || zeroDelayTargets[comp[0]].includes(comp[0]),
  }));
  return { windowMs, groups };
}
