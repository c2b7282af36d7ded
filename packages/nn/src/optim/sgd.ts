// SGD with momentum, dampening, Nesterov and L2 weight decay, following torch.optim.SGD:
//   g ← g + wd·p;  b ← g (first step) or μ·b + (1 − dampening)·g;  g ← g + μ·b (Nesterov) or b;  p ← p − lr·g
import { ConfigError } from '@efficientdl/ir';
import type { Tensor } from '@efficientdl/tensor';
import { Optimizer } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export class SGD extends Optimizer {
  readonly kind = 'sgd';
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;

  constructor(parameters: Iterable<Tensor>, options: SgdOptions) {
    super(parameters, options.lr);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ConfigError('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
    }
  }

  protected update(entry: { index: number; values: Float32Array; gradient: Float32Array }): void {
    const { index, values, gradient } = entry;
    const { lr, momentum, dampening, nesterov, weightDecay } = this;
    const first = momentum !== 0 && !this.hasBuffer(index, 'momentum_buffer');
    const velocity = momentum !== 0 ? this.buffer(index, 'momentum_buffer', values.length) : undefined;
    for (let element = 0; element < values.length; element++) {
      let gradientValue = (gradient[element] as number) + weightDecay * (values[element] as number);
      if (velocity) {
        const previous = velocity[element] as number;
        const next = first ? gradientValue : momentum * previous + (1 - dampening) * gradientValue;
        velocity[element] = next;
        gradientValue = nesterov ? gradientValue + momentum * next : next;
      }
      values[element] = (values[element] as number) - lr * gradientValue;
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  protected setHyperparameters(values: Record<string, number | boolean>): void {
    if (typeof values.momentum === 'number') this.momentum = values.momentum;
    if (typeof values.dampening === 'number') this.dampening = values.dampening;
    if (typeof values.nesterov === 'boolean') this.nesterov = values.nesterov;
    if (typeof values.weightDecay === 'number') this.weightDecay = values.weightDecay;
  }
}
