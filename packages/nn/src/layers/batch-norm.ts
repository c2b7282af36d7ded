// BatchNorm2d (torch.nn.BatchNorm2d). Training: batch statistics through the fused
// ai.efficientdl BatchNormTraining op for float32 where the backend has it (tensor ops otherwise),
// so autograd flows through them, and running statistics updated in place under noGrad with
// PyTorch's rule (momentum 0.1, unbiased variance). Eval: the ONNX BatchNormalization op with
// the running statistics. Buffers keep PyTorch's names (running_mean, running_var, num_batches_tracked).
import { EFFICIENTDL_DOMAIN, ShapeError, formatShape, fromNumbers } from '@efficientdl/ir';
import { F, Tensor, getBackend, noGrad, runOp, runUnary } from '@efficientdl/tensor';
import { Module } from '../module.js';

export interface BatchNorm2dOptions {
  numFeatures: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running average (default 0.1, as PyTorch). */
  momentum?: number;
  /** Learnable scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval (default true); otherwise batch statistics are always used. */
  trackRunningStats?: boolean;
}

export class BatchNorm2d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(options: BatchNorm2dOptions) {
    super();
    const channels = options.numFeatures;
    this.numFeatures = channels;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    if (this.affine) {
      this.registerParameter('weight', F.ones([channels]));
      this.registerParameter('bias', F.zeros([channels]));
    }
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', F.zeros([channels]));
      this.registerBuffer('running_var', F.ones([channels]));
      this.registerBuffer('num_batches_tracked', new Tensor(fromNumbers('int64', [], [0])));
    }
  }

  // x: (N, C, H, W) → (N, C, H, W)
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`BatchNorm2d: expected input (N, ${this.numFeatures}, H, W), got ${formatShape(x.shape)}`, {
        op: 'BatchNormalization',
        shape: [...x.shape],
      });
    }
    if (this.training || !this.trackRunningStats) return this.forwardWithBatchStatistics(x);
    const channels = this.numFeatures;
    const scale = this.getParameter('weight') ?? F.ones([channels]);
    const shift = this.getParameter('bias') ?? F.zeros([channels]);
    const runningMean = this.getBuffer('running_mean') as Tensor;
    const runningVar = this.getBuffer('running_var') as Tensor;
    return runUnary('BatchNormalization', [x, scale, shift, runningMean, runningVar], { epsilon: this.eps });
  }

  /** float32: the fused ai.efficientdl BatchNormTraining op (Y, batch mean, biased variance). */
  private forwardFused(x: Tensor): Tensor {
    const channels = this.numFeatures;
    const scale = this.getParameter('weight') ?? F.ones([channels]);
    const shift = this.getParameter('bias') ?? F.zeros([channels]);
    const [y, mean, variance] = runOp('BatchNormTraining', [x, scale, shift], { epsilon: this.eps }, {
      domain: EFFICIENTDL_DOMAIN,
      outputCount: 3,
    }) as [Tensor, Tensor, Tensor];
    if (this.training && this.trackRunningStats) {
      const count = (x.shape[0] as number) * (x.shape[2] as number) * (x.shape[3] as number);
      this.updateRunningStatistics(mean, variance, count);
    }
    return y;
  }

  private forwardWithBatchStatistics(x: Tensor): Tensor {
    const fused = getBackend().supports('BatchNormTraining', ['float32', 'float32', 'float32'], EFFICIENTDL_DOMAIN);
    if (x.dtype === 'float32' && fused) return this.forwardFused(x);
    const axes = [0, 2, 3];
    const channelShape = [1, this.numFeatures, 1, 1];
    const mean = F.reduceMean(x, { axes, keepDims: true }); // (1, C, 1, 1)
    const centered = F.sub(x, mean); // (N, C, H, W)
    const variance = F.reduceMean(F.mul(centered, centered), { axes, keepDims: true }); // (1, C, 1, 1), biased
    if (this.training && this.trackRunningStats) {
      const count = (x.shape[0] as number) * (x.shape[2] as number) * (x.shape[3] as number);
      this.updateRunningStatistics(mean, variance, count);
    }
    // Per-channel factors are folded on (1, C, 1, 1) tensors so the full-size work is one Mul + Add.
    let gain = F.reciprocal(F.sqrt(F.add(variance, this.eps))); // (1, C, 1, 1)
    const weight = this.getParameter('weight');
    const bias = this.getParameter('bias');
    if (weight) gain = F.mul(gain, F.reshape(weight, channelShape));
    const scaled = F.mul(centered, gain);
    return bias ? F.add(scaled, F.reshape(bias, channelShape)) : scaled;
  }

  /** running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance. */
  private updateRunningStatistics(mean: Tensor, variance: Tensor, count: number): void {
    noGrad(() => {
      const runningMean = (this.getBuffer('running_mean') as Tensor).values as Float32Array;
      const runningVar = (this.getBuffer('running_var') as Tensor).values as Float32Array;
      const batchMean = mean.values as Float32Array;
      const batchVar = variance.values as Float32Array;
      const correction = count > 1 ? count / (count - 1) : 1;
      const momentum = this.momentum;
      for (let channel = 0; channel < this.numFeatures; channel++) {
        runningMean[channel] = (1 - momentum) * (runningMean[channel] as number) + momentum * (batchMean[channel] as number);
        runningVar[channel] =
          (1 - momentum) * (runningVar[channel] as number) + momentum * (batchVar[channel] as number) * correction;
      }
      const tracked = (this.getBuffer('num_batches_tracked') as Tensor).values as BigInt64Array;
      tracked[0] = (tracked[0] as bigint) + 1n;
    });
  }

  override describe(): string {
    return `BatchNorm2d(${this.numFeatures}, eps ${this.eps}, momentum ${this.momentum})`;
  }
}
