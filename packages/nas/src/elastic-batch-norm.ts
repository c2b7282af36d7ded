// Elastic BatchNorm2d: parameters and running statistics sized for the widest subnet; a narrower
// input uses the first C channels (channels are kept sorted by importance, so the first C are the
// ones a narrow subnet keeps). Training uses batch statistics (fused ai.efficientdl
// BatchNormTraining where the backend has it) and updates the first C running statistics, with
// momentum or, while `calibrating`, a cumulative average (PyTorch momentum=None) for re-estimating
// a subnet's statistics before it is evaluated (once-for-all's BN recalibration).
import { EFFICIENTDL_DOMAIN, ShapeError, formatShape } from '@efficientdl/ir';
import { F, type Tensor, getBackend, noGrad, runOp, runUnary } from '@efficientdl/tensor';
import { Module } from '@efficientdl/nn';

export class ElasticBatchNorm2d extends Module {
  readonly maxChannels: number;
  readonly eps = 1e-5;
  readonly momentum = 0.1;
  /** While true, running statistics become the cumulative average of the batches seen since resetStatistics(). */
  calibrating = false;
  private calibrationBatches = 0;

  constructor(maxChannels: number) {
    super();
    this.maxChannels = maxChannels;
    this.registerParameter('weight', F.ones([maxChannels]));
    this.registerParameter('bias', F.zeros([maxChannels]));
    this.registerBuffer('running_mean', F.zeros([maxChannels]));
    this.registerBuffer('running_var', F.ones([maxChannels]));
  }

  /** The first `channels` entries of a parameter or buffer. */
  activeTensor(name: 'weight' | 'bias' | 'running_mean' | 'running_var', channels: number): Tensor {
    const tensor = (this.getParameter(name) ?? this.getBuffer(name)) as Tensor;
    return channels === this.maxChannels ? tensor : F.slice(tensor, [0], [channels], [0]);
  }

  /** Starts a cumulative re-estimation of the running statistics. */
  resetStatistics(): void {
    ((this.getBuffer('running_mean') as Tensor).values as Float32Array).fill(0);
    ((this.getBuffer('running_var') as Tensor).values as Float32Array).fill(1);
    this.calibrationBatches = 0;
  }

  // x: (N, C, H, W) with C ≤ maxChannels → (N, C, H, W)
  forward(x: Tensor): Tensor {
    const channels = x.shape[1] as number;
    if (x.rank !== 4 || channels > this.maxChannels) {
      throw new ShapeError(`ElasticBatchNorm2d: expected (N, ≤${this.maxChannels}, H, W), got ${formatShape(x.shape)}`, { op: 'BatchNormalization' });
    }
    const scale = this.activeTensor('weight', channels);
    const shift = this.activeTensor('bias', channels);
    if (!this.training) {
      const mean = this.activeTensor('running_mean', channels);
      const variance = this.activeTensor('running_var', channels);
      return runUnary('BatchNormalization', [x, scale, shift, mean, variance], { epsilon: this.eps });
    }
    const { y, mean, variance } = this.batchStatistics(x, scale, shift);
    const count = (x.shape[0] as number) * (x.shape[2] as number) * (x.shape[3] as number);
    this.updateStatistics(mean.values as Float32Array, variance.values as Float32Array, count);
    return y;
  }

  private batchStatistics(x: Tensor, scale: Tensor, shift: Tensor): { y: Tensor; mean: Tensor; variance: Tensor } {
    if (getBackend().supports('BatchNormTraining', ['float32', 'float32', 'float32'], EFFICIENTDL_DOMAIN)) {
      const [y, mean, variance] = runOp('BatchNormTraining', [x, scale, shift], { epsilon: this.eps }, { domain: EFFICIENTDL_DOMAIN, outputCount: 3 }) as [
        Tensor,
        Tensor,
        Tensor,
      ];
      return { y, mean, variance };
    }
    const channelShape = [1, x.shape[1] as number, 1, 1];
    const axes = [0, 2, 3];
    const mean = F.reduceMean(x, { axes, keepDims: true }); // (1, C, 1, 1)
    const centered = F.sub(x, mean); // (N, C, H, W)
    const variance = F.reduceMean(F.mul(centered, centered), { axes, keepDims: true }); // (1, C, 1, 1), biased
    const gain = F.mul(F.reciprocal(F.sqrt(F.add(variance, this.eps))), F.reshape(scale, channelShape));
    const y = F.add(F.mul(centered, gain), F.reshape(shift, channelShape));
    return { y, mean, variance };
  }

  /** running ← (1 − m)·running + m·batch for the first C channels (unbiased batch variance). */
  private updateStatistics(batchMean: Float32Array, batchVariance: Float32Array, count: number): void {
    noGrad(() => {
      const runningMean = (this.getBuffer('running_mean') as Tensor).values as Float32Array;
      const runningVar = (this.getBuffer('running_var') as Tensor).values as Float32Array;
      const correction = count > 1 ? count / (count - 1) : 1;
      const momentum = this.calibrating ? 1 / (this.calibrationBatches + 1) : this.momentum;
      if (this.calibrating) this.calibrationBatches++;
      for (let channel = 0; channel < batchMean.length; channel++) {
        runningMean[channel] = (1 - momentum) * (runningMean[channel] as number) + momentum * (batchMean[channel] as number);
        runningVar[channel] = (1 - momentum) * (runningVar[channel] as number) + momentum * (batchVariance[channel] as number) * correction;
      }
    });
  }
}
