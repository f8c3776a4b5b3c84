/**
 * A fixed calibration loop (exp and a multiply over a 64 Ki-element typed array, 3 x 300 passes) that tells how
 * fast this machine runs right now. On the shared 2-core VM the engine figures of docs/benchmarks.md were
 * taken on, the same loop takes 570-620 ms undisturbed and 820-910 ms when load outside the VM takes its
 * share (invisible to `top`, steal time 0). Run it before and after a benchmark whose figures are of record.
 *
 *   npx tsx bench/machine-speed.ts [--repeat 1]
 */
function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const repeat = Number(argument('repeat', '1'));
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) {
  console.error(`firstspike: error: --repeat: expected an integer from 1 to 1000, got '${argument('repeat', '')}'`);
  process.exit(2);
}

// uniform values in [0, 1) (which ones does not matter for the timing)
const values = new Float64Array(1 << 16);
for (let i = 0; i < values.length; i++) values[i] = Math.random();

/** 300 passes of sum exp(-x_i) x_{7i mod n}: about 2e7 exponentials. */
function passes(): number {
  let sum = 0;
  for (let r = 0; r < 300; r++) {
    for (let i = 0; i < values.length; i++) sum += Math.exp(-values[i]) * values[(i * 7) & 65535];
  }
  return sum;
}

passes(); // JIT warm-up
for (let k = 0; k < repeat; k++) {
  const t0 = performance.now();
  const check = passes() + passes() + passes();
  const ms = performance.now() - t0;
  console.log(`machine-speed: ${ms.toFixed(1)} ms${Number.isFinite(check) ? '' : ' (non-finite sum)'}`);
}
