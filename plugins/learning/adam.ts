/** Adam (Kingma & Ba 2015) over a list of parameter arrays, with its moment estimates. */
export class Adam {
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  step = 0;

  constructor(
    shapes: readonly Float64Array[],
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.m = shapes.map((p) => new Float64Array(p.length));
    this.v = shapes.map((p) => new Float64Array(p.length));
  }

  /** One update of `params` with gradients `grads` at learning rate `lr`. */
  update(params: Float64Array[], grads: readonly Float64Array[], lr: number): void {
    this.step++;
    const c1 = 1 - this.beta1 ** this.step;
    const c2 = 1 - this.beta2 ** this.step;
    for (let l = 0; l < params.length; l++) {
      const p = params[l];
      const g = grads[l];
      const m = this.m[l];
      const v = this.v[l];
      for (let k = 0; k < p.length; k++) {
        m[k] = this.beta1 * m[k] + (1 - this.beta1) * g[k];
        v[k] = this.beta2 * v[k] + (1 - this.beta2) * g[k] * g[k];
        p[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + this.epsilon);
      }
    }
  }
}
