/**
 * Fixed facts about the BrainScaleS-2 (HICANN-X) chip that the bss2 substrate builds on. Sources are
 * named in docs/substrates/bss2.md; nothing here is an option.
 */

/** Neuron circuits on one chip. */
export const NEURON_CIRCUITS = 512;

/** Neuron circuits joined into one logical neuron in the TTFS set-ups (Göltz et al. 2021). */
export const CIRCUITS_PER_LOGICAL_NEURON = 2;

/** Logical neurons per chip at two circuits each. */
export const LOGICAL_NEURONS = NEURON_CIRCUITS / CIRCUITS_PER_LOGICAL_NEURON;

/** Signed inputs per logical neuron in the TTFS set-ups. */
export const INPUTS_PER_LOGICAL_NEURON = 256;

/** Largest weight magnitude: 6-bit synapse weights. */
export const WEIGHT_MAX = 63;

/** Largest value of the 8-bit refractory counter (ticks). */
export const REFRACTORY_COUNTER_MAX = 255;

/** Largest reset-holdoff setting (4-bit register, calix `NeuronBackendConfig.ResetHoldoff`). */
export const HOLDOFF_TICKS_MAX = 15;

/** Base clock of the refractory counters (MHz); the counter runs at base / 2^(k+1). */
export const REFRACTORY_BASE_CLOCK_MHZ = 250;

/** Largest refractory clock scale k: haldls `neuron.h` ClockScale takes 0..15. */
export const REFRACTORY_CLOCK_SCALE_MAX = 15;

/** FPGA clock that time-stamps events and plays back input spikes (MHz): 8 ns cycles. */
export const FPGA_CLOCK_MHZ = 125;

/**
 * Voltage scale of the TTFS set-ups on the 8-bit CADC: leak = reset = 80 LSB, threshold = 150 LSB, so one
 * model unit of (threshold - leak) is 70 LSB. Used only to express voltages in LSB (docs, reports).
 */
export const CADC_LEAK_LSB = 80;
export const CADC_THRESHOLD_LSB = 150;
export const LSB_PER_MODEL_UNIT = CADC_THRESHOLD_LSB - CADC_LEAK_LSB;

/** Power of the set-up while classifying (mW), as recalled for the paper's MNIST runs (UNVERIFIED against the paper's text). */
export const PAPER_POWER_MW = 175;
