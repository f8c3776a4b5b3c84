/**
 * Image helpers for the 16x16 MNIST variant: centre crop and area resampling of square-or-not
 * grey-level images stored row-major in flat arrays.
 */

/** One output pixel's support along one axis: input indices `first .. first + weights.length - 1`. */
interface AxisWeights {
  readonly first: Int32Array;
  readonly weights: readonly Float64Array[];
}

const axisCache = new Map<string, AxisWeights>();

/**
 * Area weights for resampling `nIn` pixels to `nOut` along one axis: output pixel o covers the input
 * interval [o nIn/nOut, (o+1) nIn/nOut), and input pixel i contributes the fraction of that interval it
 * overlaps. Computed in integers (positions scaled by nOut), so the weights are exact ratios /nIn and
 * sum to 1 for every output.
 */
function axisWeights(nIn: number, nOut: number): AxisWeights {
  const key = `${nIn}>${nOut}`;
  const cached = axisCache.get(key);
  if (cached !== undefined) return cached;
  const first = new Int32Array(nOut);
  const weights: Float64Array[] = [];
  for (let o = 0; o < nOut; o++) {
    const lo = o * nIn;
    const hi = lo + nIn;
    const iFirst = Math.floor(lo / nOut);
    const iLast = Math.ceil(hi / nOut) - 1;
    const w = new Float64Array(iLast - iFirst + 1);
    for (let i = iFirst; i <= iLast; i++) {
      const overlap = Math.min(hi, (i + 1) * nOut) - Math.max(lo, i * nOut);
      w[i - iFirst] = overlap / nIn;
    }
    first[o] = iFirst;
    weights.push(w);
  }
  const result = { first, weights };
  axisCache.set(key, result);
  return result;
}

/**
 * Area resampling (box filter with fractional coverage): each output pixel is the mean of the input
 * area it covers, so the image mean is preserved (up to rounding). Downsampling and upsampling both
 * work. `scratch` (optional, length >= srcH * dstW) avoids an allocation per call.
 */
export function areaResample(
  src: ArrayLike<number>,
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  out: Float64Array,
  scratch?: Float64Array,
): Float64Array {
  if (src.length !== srcW * srcH) throw new RangeError(`areaResample: source has ${src.length} values, not ${srcW}x${srcH}`);
  if (out.length !== dstW * dstH) throw new RangeError(`areaResample: output has ${out.length} values, not ${dstW}x${dstH}`);
  const tmp = scratch !== undefined && scratch.length >= srcH * dstW ? scratch : new Float64Array(srcH * dstW);
  const ax = axisWeights(srcW, dstW);
  const ay = axisWeights(srcH, dstH);
  // Horizontal pass: srcH rows of dstW.
  for (let r = 0; r < srcH; r++) {
    const rowIn = r * srcW;
    for (let o = 0; o < dstW; o++) {
      const w = ax.weights[o]!;
      const base = rowIn + ax.first[o]!;
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * src[base + k]!;
      tmp[r * dstW + o] = s;
    }
  }
  // Vertical pass.
  for (let o = 0; o < dstH; o++) {
    const w = ay.weights[o]!;
    const r0 = ay.first[o]!;
    for (let c = 0; c < dstW; c++) {
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * tmp[(r0 + k) * dstW + c]!;
      out[o * dstW + c] = s;
    }
  }
  return out;
}

/**
 * Copies the centred `cropW` x `cropH` window of a `srcW` x `srcH` image into `out` (row-major),
 * multiplying each value by `scale` (e.g. 1/255 for bytes). The margins must be even.
 */
export function centreCrop(
  src: ArrayLike<number>,
  srcW: number,
  srcH: number,
  cropW: number,
  cropH: number,
  out: Float64Array,
  scale = 1,
): Float64Array {
  if ((srcW - cropW) % 2 !== 0 || (srcH - cropH) % 2 !== 0 || cropW > srcW || cropH > srcH) {
    throw new RangeError(`centreCrop: cannot centre ${cropW}x${cropH} in ${srcW}x${srcH}`);
  }
  if (src.length !== srcW * srcH) throw new RangeError(`centreCrop: source has ${src.length} values, not ${srcW}x${srcH}`);
  const dx = (srcW - cropW) / 2;
  const dy = (srcH - cropH) / 2;
  for (let r = 0; r < cropH; r++) {
    const rowIn = (r + dy) * srcW + dx;
    for (let c = 0; c < cropW; c++) out[r * cropW + c] = src[rowIn + c]! * scale;
  }
  return out;
}
