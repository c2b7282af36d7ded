// GroupNorm (torch.nn.GroupNorm) as ONNX GroupNormalization (opset 21: per-channel scale and bias):
// channels split into numGroups groups, each normalized over (C / numGroups, *spatial).
import { ConfigError, ShapeError, formatShape } from '@efficientdl/ir';
import { F, type Tensor, runUnary } from '@efficientdl/tensor';
import { Module } from '../module.js';

export interface GroupNormOptions {
  numGroups: number;
  numChannels: number;
  eps?: number;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
}

export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;

  constructor(options: GroupNormOptions) {
    super();
    this.numGroups = options.numGroups;
    this.numChannels = options.numChannels;
    this.eps = options.eps ?? 1e-5;
    if (this.numChannels % this.numGroups !== 0) {
      throw new ConfigError(`GroupNorm: numGroups ${this.numGroups} must divide numChannels ${this.numChannels}`);
    }
    if (options.affine !== false) {
      this.registerParameter('weight', F.ones([this.numChannels]));
      this.registerParameter('bias', F.zeros([this.numChannels]));
    }
  }

  // x: (N, C, ...) → same shape
  forward(x: Tensor): Tensor {
    if (x.rank < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: expected input (N, ${this.numChannels}, ...), got ${formatShape(x.shape)}`, {
        op: 'GroupNormalization',
        shape: [...x.shape],
      });
    }
    const scale = this.getParameter('weight') ?? F.ones([this.numChannels]);
    const bias = this.getParameter('bias') ?? F.zeros([this.numChannels]);
    return runUnary('GroupNormalization', [x, scale, bias], { num_groups: this.numGroups, epsilon: this.eps });
  }

  override describe(): string {
    return `GroupNorm(${this.numGroups} groups, ${this.numChannels} channels)`;
  }
}
