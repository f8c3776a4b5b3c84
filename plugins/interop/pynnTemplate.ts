/*
 * The Python body of an exported PyNN script (`firstspike export pynn`). It expects a module-level
 * `NETWORK` dict (pynnNetwork.ts) and runs the network on a PyNN 0.10 backend chosen on the command line,
 * writing the spikes in firstspike's result format. What it does about what PyNN cannot express is listed
 * in ADJUSTMENTS below and in docs/interop.md.
 */
export const PYNN_SCRIPT_BODY = String.raw`
ADJUSTMENTS = """
What PyNN cannot express, and what this script does about it:
- Zero delays: PyNN needs delay >= min_delay = one time step. Every delay is rounded to the nearest
  step and raised to one step when smaller (a zero-delay spike arrives one step late).
- Exact spike times: a PyNN simulator runs on a time grid. Source spike times are rounded to the
  nearest step; two spikes of one source that land in the same step are merged into one (reported).
  On NEST a source cannot spike at t = 0: such spikes are moved to t = dt.
- Refractoriness: tau_refrac is counted in whole steps by the backends; output spikes are detected at
  the end of the step in which V crossed threshold, so they lag the exact time by up to one step.
- Brian2: pyNN.brian2 0.10 creates SpikeSourceArray groups on Brian2's default clock (0.1 ms) whatever
  the timestep; this script sets brian2.defaultclock.dt to the timestep first, so sources and synaptic
  delays run on the same clock as the neurons.
- Equal time constants: pyNN.brian2 gives NaN potentials when tau_syn == tau_m (a 1 / (tau_m - tau_syn)
  factor in its exact integration); for Brian2 such tau_syn are raised by a relative 1e-6 (reported).
- Refractory periods: pyNN.brian2 0.10 accepts one tau_refrac per population; a population whose neurons
  differ is split into one PyNN population per value (indices are mapped back in the output).
- Weights: PyNN wants excitatory weights >= 0 on receptor 'excitatory' and inhibitory weights <= 0 on
  receptor 'inhibitory'; each projection is split by sign (zero weights have no effect and are dropped).
"""


def _parse_args(argv):
    import argparse
    parser = argparse.ArgumentParser(
        description="Run the network exported by firstspike on a PyNN 0.10 backend and write its spikes "
                    "in firstspike's result format.",
        epilog=ADJUSTMENTS, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["brian2", "nest"], default="brian2",
                        help="PyNN backend (default brian2)")
    parser.add_argument("--dt", type=float, default=0.01, help="time step in ms (default 0.01)")
    parser.add_argument("--out", default="-", help="result file (default: standard output)")
    parser.add_argument("--no-traces", action="store_true", help="do not record membrane traces")
    parser.add_argument("--no-clock-fix", action="store_true",
                        help="Brian2: leave spike sources on pyNN.brian2's 0.1 ms clock (to see its effect)")
    parser.add_argument("--codegen", choices=["numpy", "cython", "auto"], default="numpy",
                        help="Brian2 code generation target (default numpy: no compilation step)")
    return parser.parse_args(argv)


def _note(text):
    import sys
    sys.stderr.write(text + "\n")


def _steps(t_ms, dt):
    return int(round(t_ms / dt))


def _source_times(times, dt, earliest_step):
    """Spike times on the grid (ms), ascending, at most one per step; returns (times, merged count)."""
    steps = []
    for t in times:
        k = max(_steps(t, dt), earliest_step)
        if steps and steps[-1] == k:
            continue
        steps.append(k)
    return [k * dt for k in steps], len(times) - len(steps)


TAU_NUDGE = 1e-6


def _separate_time_constants(params, size):
    """pyNN.brian2's IF_curr_exp integrates exactly with a 1 / (tau_m - tau_syn) factor and gives NaN when
    tau_syn == tau_m: raise such tau_syn by a relative TAU_NUDGE (in place); returns how many neurons."""
    import numpy as np
    tau_m = np.broadcast_to(np.asarray(params["tau_m"], dtype=float), (size,))
    touched = np.zeros(size, dtype=bool)
    for key in ("tau_syn_E", "tau_syn_I"):
        tau = np.broadcast_to(np.asarray(params[key], dtype=float), (size,)).copy()
        equal = tau == tau_m
        if equal.any():
            tau[equal] *= 1 + TAU_NUDGE
            params[key] = tau
            touched |= equal
    return int(touched.sum())


def _neuron_index(population, annotations):
    """The index within its population of the neuron a recorded spike train belongs to."""
    if "source_index" in annotations:
        return int(annotations["source_index"])
    # pyNN.brian2 0.10 annotates only the neuron's global ID, as channel_id
    cell_id = annotations.get("source_id", annotations.get("channel_id"))
    return int(population.id_to_index(int(cell_id)))


def main(argv=None):
    import json
    import numpy as np
    args = _parse_args(argv)
    dt = args.dt
    if not dt > 0:
        raise SystemExit("model.py: error: --dt: must be > 0")
    if args.backend == "brian2":
        import brian2
        brian2.prefs.codegen.target = args.codegen
        import pyNN.brian2 as sim
    else:
        import pyNN.nest as sim

    delays = []
    raised = 0
    for proj in NETWORK["projections"]:
        steps = _steps(proj["delay_ms"], dt)
        if steps < 1:
            steps = 1
            raised += 1
        delays.append(steps * dt)
    sim.setup(timestep=dt, min_delay=dt, max_delay=max(delays + [dt]))
    if args.backend == "brian2" and not args.no_clock_fix:
        # pyNN.brian2 0.10 puts SpikeGeneratorGroups on the default clock (0.1 ms): align it with the timestep
        brian2.defaultclock.dt = dt * brian2.ms
    if raised:
        _note("%d projection(s) had delays below one step (%g ms); raised to one step" % (raised, dt))

    # each firstspike population becomes one PyNN population, or several "parts" when the backend needs it
    # (pyNN.brian2 0.10 supports one refractory period per population): parts[name] = [(population, indices)]
    parts = {}
    where = {}  # name -> (part of each neuron, index within its part)
    merged = 0
    nudged = 0
    split = 0
    earliest_step = 1 if args.backend == "nest" else 0
    for pop in NETWORK["populations"]:
        name, size = pop["name"], pop["size"]
        if pop["kind"] == "source":
            sequences = []
            for times in pop["spike_times"]:
                grid, lost = _source_times(times, dt, earliest_step)
                merged += lost
                sequences.append(sim.Sequence(grid))
            cell = sim.SpikeSourceArray(spike_times=sequences)
            parts[name] = [(sim.Population(size, cell, label=name), np.arange(size))]
        else:
            params = {k: (np.asarray(v, dtype=float) if isinstance(v, list) else v)
                      for k, v in pop["params"].items()}
            if args.backend == "brian2":
                nudged += _separate_time_constants(params, size)
            v0 = np.broadcast_to(np.asarray(pop["initial_v"], dtype=float), (size,))
            refrac = np.broadcast_to(np.asarray(params["tau_refrac"], dtype=float), (size,))
            groups = [np.arange(size)]
            if args.backend == "brian2" and np.any(refrac != refrac[0]):
                groups = [np.flatnonzero(refrac == r) for r in np.unique(refrac)]
                split += 1
            parts[name] = []
            for k, idx in enumerate(groups):
                sub = {key: (v[idx] if isinstance(v, np.ndarray) else v) for key, v in params.items()}
                if len(groups) > 1:
                    sub["tau_refrac"] = float(refrac[idx[0]])
                label = name if len(groups) == 1 else "%s.part%d" % (name, k)
                parts[name].append((sim.Population(len(idx), sim.IF_curr_exp(**sub),
                                                   initial_values={"v": v0[idx]}, label=label), idx))
        part_of = np.zeros(size, dtype=int)
        local_of = np.zeros(size, dtype=int)
        for k, (_, idx) in enumerate(parts[name]):
            part_of[idx] = k
            local_of[idx] = np.arange(len(idx))
        where[name] = (part_of, local_of)
    if merged:
        _note("%d source spike(s) fell into an occupied step and were merged" % merged)
    if nudged:
        _note("%d neuron(s) had tau_syn == tau_m; tau_syn raised by a factor 1 + %g for pyNN.brian2"
              % (nudged, TAU_NUDGE))
    if split:
        _note("%d population(s) with several refractory periods split into one PyNN population per value "
              "(pyNN.brian2 supports one per population)" % split)

    for proj, delay in zip(NETWORK["projections"], delays):
        src_part, src_local = where[proj["source"]]
        tgt_part, tgt_local = where[proj["target"]]
        for receptor, keep in (("excitatory", lambda w: w > 0), ("inhibitory", lambda w: w < 0)):
            rows = {}
            for (i, j, w) in proj["connections"]:
                if keep(w):
                    key = (src_part[i], tgt_part[j])
                    rows.setdefault(key, []).append((int(src_local[i]), int(tgt_local[j]), w, delay))
            for (a, b), part_rows in sorted(rows.items()):
                sim.Projection(parts[proj["source"]][a][0], parts[proj["target"]][b][0],
                               sim.FromListConnector(part_rows, column_names=["weight", "delay"]),
                               synapse_type=sim.StaticSynapse(), receptor_type=receptor,
                               label="%s (%s)" % (proj["name"], receptor))

    for name in NETWORK["record"]["spikes"]:
        for population, _ in parts[name]:
            population.record("spikes")
    traces = [] if args.no_traces else NETWORK["record"]["v"]
    trace_views = []  # (request, population view, global indices of its neurons)
    for req in traces:
        interval = max(1, _steps(req["dt_ms"], dt)) * dt
        part_of, local_of = where[req["population"]]
        for k, (population, idx) in enumerate(parts[req["population"]]):
            wanted = [i for i in req["indices"] if part_of[i] == k]
            if wanted:
                local = [int(local_of[i]) for i in wanted]
                view = population[local]
                view.record("v", sampling_interval=interval)
                trace_views.append((req, view, idx, local))

    duration = NETWORK["duration_ms"]
    sim.run(duration)

    order = {pop["name"]: k for k, pop in enumerate(NETWORK["populations"])}
    spikes = []
    for name in NETWORK["record"]["spikes"]:
        for population, idx in parts[name]:
            block = population.get_data("spikes", clear=False)
            for train in block.segments[0].spiketrains:
                index = int(idx[_neuron_index(population, train.annotations)])
                for t in train.rescale("ms").magnitude:
                    if t < duration:
                        spikes.append((float(t), order[name], name, index))
    spikes.sort(key=lambda s: (s[0], s[1], s[3]))
    out_traces = []
    for req, view, idx, local in trace_views:
        block = view.get_data("v", clear=False)
        signal = block.segments[0].filter(name="v")[0]
        step = float(signal.sampling_period.rescale("ms").magnitude)
        values = signal.rescale("mV").magnitude
        # firstspike's samples are at k * step < duration; PyNN also records t = duration
        values = values[:int(np.ceil(duration / step - 1e-9))]
        # channel_index: the neuron's index within its PyNN population
        channels = signal.array_annotations.get("channel_index")
        if channels is None:
            channels = local
        for column in range(values.shape[1]):
            out_traces.append({"population": req["population"], "index": int(idx[int(channels[column])]),
                               "dt_ms": step, "v_mv": [float(x) for x in values[:, column]]})
    out_traces.sort(key=lambda tr: (order[tr["population"]], tr["index"]))
    sim.end()

    result = {
        "format": "firstspike.simulation",
        "version": 1,
        "duration_ms": duration,
        "spikes": {
            "population": [s[2] for s in spikes],
            "index": [s[3] for s in spikes],
            "time_ms": [s[0] for s in spikes],
        },
        "traces": out_traces,
        "simulator": {"name": "pyNN." + args.backend, "pynn": sim.__name__, "dt_ms": dt},
    }
    text = json.dumps(result) + "\n"
    if args.out == "-":
        import sys
        sys.stdout.write(text)
    else:
        import os
        temp = args.out + ".tmp"
        with open(temp, "w") as f:
            f.write(text)
        os.replace(temp, args.out)
        _note("wrote %s: %d spikes (backend %s, dt %g ms)" % (args.out, len(spikes), args.backend, dt))


if __name__ == "__main__":
    main()
`;
