// Dropout (torch.nn.Dropout): in training, zeroes each element with probability p and scales the
// survivors by 1 / (1 − p) (inverted dropout), with the mask drawn from a seeded Generator; the
// identity in eval. The mask is a constant, so the gradient is mask · upstream (via Mul).
import { ConfigError, tensorData } from '@efficientdl/ir';
import { F, type Generator, Tensor, getDefaultGenerator } from '@efficientdl/tensor';
import { Module } from '../module.js';

export interface DropoutOptions {
  /** Drop probability in [0, 1] (default 0.5). */
  p?: number;
  generator?: Generator;
}

export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator;

  constructor(options: DropoutOptions = {}) {
    super();
    this.p = options.p ?? 0.5;
    if (!(this.p >= 0 && this.p <= 1)) throw new ConfigError(`Dropout: p must be in [0, 1], got ${this.p}`);
    this.generator = options.generator ?? getDefaultGenerator();
  }

  // x: any shape → same shape
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = tensorData('float32', x.shape);
    const values = mask.data as Float32Array;
    const keepScale = this.p === 1 ? 0 : 1 / (1 - this.p);
    for (let index = 0; index < values.length; index++) {
      values[index] = this.generator.random() < this.p ? 0 : keepScale;
    }
    return F.mul(x, new Tensor(mask));
  }

  override describe(): string {
    return `Dropout(p ${this.p})`;
  }
}
