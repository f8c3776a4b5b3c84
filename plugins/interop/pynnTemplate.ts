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

    populations = {}
    merged = 0
    nudged = 0
    earliest_step = 1 if args.backend == "nest" else 0
    for pop in NETWORK["populations"]:
        if pop["kind"] == "source":
            sequences = []
            for times in pop["spike_times"]:
                grid, lost = _source_times(times, dt, earliest_step)
                merged += lost
                sequences.append(sim.Sequence(grid))
            cell = sim.SpikeSourceArray(spike_times=sequences)
            populations[pop["name"]] = sim.Population(pop["size"], cell, label=pop["name"])
        else:
            params = {k: (np.asarray(v, dtype=float) if isinstance(v, list) else v)
                      for k, v in pop["params"].items()}
            if args.backend == "brian2":
                nudged += _separate_time_constants(params, pop["size"])
            v0 = pop["initial_v"]
            v0 = np.asarray(v0, dtype=float) if isinstance(v0, list) else v0
            populations[pop["name"]] = sim.Population(pop["size"], sim.IF_curr_exp(**params),
                                                      initial_values={"v": v0}, label=pop["name"])
    if merged:
        _note("%d source spike(s) fell into an occupied step and were merged" % merged)
    if nudged:
        _note("%d neuron(s) had tau_syn == tau_m; tau_syn raised by a factor 1 + %g for pyNN.brian2"
              % (nudged, TAU_NUDGE))

    for proj, delay in zip(NETWORK["projections"], delays):
        for receptor, keep in (("excitatory", lambda w: w > 0), ("inhibitory", lambda w: w < 0)):
            rows = [(i, j, w, delay) for (i, j, w) in proj["connections"] if keep(w)]
            if not rows:
                continue
            sim.Projection(populations[proj["source"]], populations[proj["target"]],
                           sim.FromListConnector(rows, column_names=["weight", "delay"]),
                           synapse_type=sim.StaticSynapse(), receptor_type=receptor,
                           label="%s (%s)" % (proj["name"], receptor))

    for name in NETWORK["record"]["spikes"]:
        populations[name].record("spikes")
    traces = [] if args.no_traces else NETWORK["record"]["v"]
    for req in traces:
        interval = max(1, _steps(req["dt_ms"], dt)) * dt
        populations[req["population"]][req["indices"]].record("v", sampling_interval=interval)

    duration = NETWORK["duration_ms"]
    sim.run(duration)

    order = {pop["name"]: k for k, pop in enumerate(NETWORK["populations"])}
    spikes = []
    for name in NETWORK["record"]["spikes"]:
        block = populations[name].get_data("spikes", clear=False)
        for train in block.segments[0].spiketrains:
            index = _neuron_index(populations[name], train.annotations)
            for t in train.rescale("ms").magnitude:
                if t < duration:
                    spikes.append((float(t), order[name], name, index))
    spikes.sort(key=lambda s: (s[0], s[1], s[3]))
    out_traces = []
    for req in traces:
        view = populations[req["population"]][req["indices"]]
        block = view.get_data("v", clear=False)
        signal = block.segments[0].filter(name="v")[0]
        step = float(signal.sampling_period.rescale("ms").magnitude)
        values = signal.rescale("mV").magnitude
        channels = signal.array_annotations.get("channel_index")
        for column in range(values.shape[1]):
            index = int(channels[column]) if channels is not None else int(req["indices"][column])
            out_traces.append({"population": req["population"], "index": index, "dt_ms": step,
                               "v_mv": [float(x) for x in values[:, column]]})
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
