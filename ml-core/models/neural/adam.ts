/**
 * Adam (Kingma & Ba) on plain Float32Arrays, with optional L2 regularisation (the penalty's
 * gradient added to the loss gradient, as Keras' kernel_regularizer and PyTorch's weight_decay
 * do for Adam), and the learning-rate schedules the Train page offers.
 */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(sizes: number[], opts: AdamOptions = {}) {
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
  }

  /** One step over every parameter; grads[i] null = parameter i does not train. decay[i]: L2 factor. */
  step(params: Float32Array[], grads: Array<Float32Array | null>, lr: number, decay: number[]): void {
    this.t++;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    for (let p = 0; p < params.length; p++) {
      const g = grads[p];
      if (!g) continue;
      const w = params[p]!;
      const m = this.m[p]!;
      const v = this.v[p]!;
      const wd = decay[p] ?? 0;
      for (let i = 0; i < w.length; i++) {
        const gi = wd ? g[i]! + wd * w[i]! : g[i]!;
        const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi);
        const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi);
        // PyTorch's form: w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)
        w[i] = w[i]! - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
      }
    }
  }
}

/** Cosine decay from lr0 to 1% of it over `epochs` (epoch is 0-based). */
export function cosineRate(lr0: number, epoch: number, epochs: number): number {
  if (epochs <= 1) return lr0;
  const f = Math.min(1, epoch / (epochs - 1));
  return lr0 * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * f)));
}

/**
 * Halves the rate when the validation loss has not improved for `patience` epochs (Keras'
 * ReduceLROnPlateau with factor 0.5), down to 1/1000 of the start.
 */
export class PlateauSchedule {
  private best = Infinity;
  private wait = 0;
  rate: number;

  constructor(private readonly lr0: number, private readonly patience = 2) {
    this.rate = lr0;
  }

  /** After an epoch: the rate for the next one. */
  update(validLoss: number): number {
    if (this.best === Infinity || validLoss < this.best - 1e-4 * Math.abs(this.best)) {
      this.best = validLoss;
      this.wait = 0;
    } else if (++this.wait >= this.patience) {
      this.rate = Math.max(this.lr0 / 1000, this.rate / 2);
      this.wait = 0;
    }
    return this.rate;
  }
}
