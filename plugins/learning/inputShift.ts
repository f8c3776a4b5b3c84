/**
 * Translation of image inputs during training (data augmentation): each training sample's image, coded as
 * one spike time per pixel in row-major order, is moved by a whole number of pixels in x and in y, drawn
 * uniformly from [-maxPixels, maxPixels] per sample; pixels moved in from outside the image spike at
 * `blankTime`, the time of a blank pixel (t_late for inverted MNIST, where background spikes last).
 * Validation and test images are never moved.
 */
export interface InputShift {
  /** Image width in pixels (row length). */
  readonly width: number;
  /** Image height in pixels; width x height must equal the input count. */
  readonly height: number;
  /** Largest move in each direction (whole pixels, >= 1). */
  readonly maxPixels: number;
  /** Spike time of a pixel moved in from outside the image (tau_syn units). */
  readonly blankTime: number;
}

/** Throws a RangeError naming the first field of `shift` that is invalid for `inputs` input neurons. */
export function checkInputShift(shift: InputShift, inputs: number): void {
  for (const key of ['width', 'height', 'maxPixels'] as const) {
    if (!(Number.isInteger(shift[key]) && shift[key] >= 1)) {
      throw new RangeError(`inputShift.${key} must be an integer >= 1, got ${shift[key]}`);
    }
  }
  if (shift.width * shift.height !== inputs) {
    throw new RangeError(`inputShift: width x height = ${shift.width * shift.height} must equal the input count ${inputs}`);
  }
  if (!Number.isFinite(shift.blankTime)) throw new RangeError(`inputShift.blankTime must be finite, got ${shift.blankTime}`);
}

/**
 * Writes the image at `source[from .. from + width*height)` moved by (dx, dy) pixels (positive: right,
 * down) into `target[to ..]`: target pixel (x, y) takes source pixel (x - dx, y - dy), or `blankTime`
 * where that lies outside. Allocates nothing.
 */
export function shiftImage(
  source: Float64Array,
  from: number,
  target: Float64Array,
  to: number,
  shift: InputShift,
  dx: number,
  dy: number,
): void {
  const { width, height, blankTime } = shift;
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    const row = to + y * width;
    if (sy < 0 || sy >= height) {
      target.fill(blankTime, row, row + width);
      continue;
    }
    const sourceRow = from + sy * width;
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      target[row + x] = sx >= 0 && sx < width ? source[sourceRow + sx] : blankTime;
    }
  }
}
