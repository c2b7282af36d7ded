// Adam and AdamW, following torch.optim.Adam / AdamW (Kingma & Ba; Loshchilov & Hutter):
//   Adam:  g ← g + wd·p (L2 penalty);  AdamW: p ← p·(1 − lr·wd) (decoupled decay)
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + eps)
import type { Tensor } from '@efficientdl/tensor';
import { Optimizer } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly kind: string = 'adam';
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Decoupled (AdamW) instead of L2 (Adam) weight decay. */
  protected decoupled = false;

  constructor(parameters: Iterable<Tensor>, options: AdamOptions = {}) {
    super(parameters, options.lr ?? 1e-3);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
  }

  protected update(entry: { index: number; values: Float32Array; gradient: Float32Array; step: number }): void {
    const { index, values, gradient, step } = entry;
    const { lr, beta1, beta2, eps, weightDecay, decoupled } = this;
    const firstMoment = this.buffer(index, 'exp_avg', values.length);
    const secondMoment = this.buffer(index, 'exp_avg_sq', values.length);
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    const stepSize = lr / correction1;
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    for (let element = 0; element < values.length; element++) {
      const parameter = (values[element] as number) * decay;
      const gradientValue = (gradient[element] as number) + l2 * parameter;
      const m = beta1 * (firstMoment[element] as number) + (1 - beta1) * gradientValue;
      const v = beta2 * (secondMoment[element] as number) + (1 - beta2) * gradientValue * gradientValue;
      firstMoment[element] = m;
      secondMoment[element] = v;
      values[element] = parameter - (stepSize * m) / (Math.sqrt(v / correction2) + eps);
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  protected setHyperparameters(values: Record<string, number | boolean>): void {
    if (typeof values.beta1 === 'number') this.beta1 = values.beta1;
    if (typeof values.beta2 === 'number') this.beta2 = values.beta2;
    if (typeof values.eps === 'number') this.eps = values.eps;
    if (typeof values.weightDecay === 'number') this.weightDecay = values.weightDecay;
  }
}

/** AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch). */
export class AdamW extends Adam {
  override readonly kind: string = 'adamw';

  constructor(parameters: Iterable<Tensor>, options: AdamOptions = {}) {
    super(parameters, { ...options, weightDecay: options.weightDecay ?? 0.01 });
    this.decoupled = true;
  }
}
