/** Sample mean and sample standard deviation (n - 1 in the denominator) of xs, with the count. */
export function meanSd(xs: ArrayLike<number>): { mean: number; sd: number; n: number } {
  const n = xs.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += xs[k];
  const mean = sum / n;
  let sq = 0;
  for (let k = 0; k < n; k++) sq += (xs[k] - mean) ** 2;
  return { mean, sd: Math.sqrt(sq / (n - 1)), n };
}
