// Cross-entropy loss (torch.nn.functional.cross_entropy): LogSoftmax over the class axis 1, then
// −Σ_c q_c · log p_c with q the (optionally label-smoothed) one-hot target, or given class
// probabilities. Targets: int64/int32 class indices of shape (N, ...) (or a number[]), or float
// probabilities of the logits' shape. Label smoothing ε: q = (1 − ε)·onehot + ε / C.
import { ConfigError, ShapeError, formatShape, readNumber, tensorData } from '@efficientdl/ir';
import { F, Tensor } from '@efficientdl/tensor';
import { type Reduction, reduceLoss } from './reduction.js';

export interface CrossEntropyOptions {
  /** In [0, 1); 0 by default. */
  labelSmoothing?: number;
  reduction?: Reduction;
}

/** The smoothed one-hot target distribution of class indices, with the logits' shape. */
function targetDistribution(logits: Tensor, targets: Tensor, smoothing: number): Tensor {
  // logits: (N, C, d1, ...); targets: (N, d1, ...)
  const shape = logits.shape;
  const classes = shape[1] as number;
  const expected = [shape[0], ...shape.slice(2)];
  if (targets.rank !== expected.length || targets.shape.some((dim, axis) => dim !== expected[axis])) {
    throw new ShapeError(
      `crossEntropy: targets ${formatShape(targets.shape)} do not match logits ${formatShape(shape)} (expected ${formatShape(expected as number[])})`,
      { op: 'crossEntropy' },
    );
  }
  const inner = shape.slice(2).reduce((product, dim) => product * dim, 1);
  const distribution = tensorData('float32', shape);
  const values = distribution.data as Float32Array;
  values.fill(smoothing / classes);
  for (let index = 0; index < targets.size; index++) {
    const target = readNumber(targets.data, index);
    if (!Number.isInteger(target) || target < 0 || target >= classes) {
      throw new ConfigError(`crossEntropy: target ${target} at index ${index} is not a class in [0, ${classes})`, {
        op: 'crossEntropy',
      });
    }
    const sample = Math.floor(index / inner);
    const position = index % inner;
    const at = (sample * classes + target) * inner + position;
    values[at] = (values[at] as number) + 1 - smoothing;
  }
  return new Tensor(distribution);
}

// logits: (N, C, ...) float; targets: (N, ...) class indices or (N, C, ...) probabilities
export function crossEntropy(logits: Tensor, targets: Tensor | readonly number[], options: CrossEntropyOptions = {}): Tensor {
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) throw new ConfigError(`crossEntropy: labelSmoothing must be in [0, 1), got ${smoothing}`);
  if (logits.rank < 2) {
    throw new ShapeError(`crossEntropy: logits must be (N, C, ...), got ${formatShape(logits.shape)}`, { op: 'crossEntropy' });
  }
  const targetTensor = Array.isArray(targets) ? F.tensor(targets as number[], [targets.length], 'int64') : (targets as Tensor);
  const classes = logits.shape[1] as number;
  let distribution: Tensor;
  if (targetTensor.dtype.startsWith('float')) {
    if (targetTensor.rank !== logits.rank || targetTensor.shape.some((dim, axis) => dim !== logits.shape[axis])) {
      throw new ShapeError(`crossEntropy: probability targets ${formatShape(targetTensor.shape)} must match logits ${formatShape(logits.shape)}`);
    }
    distribution = smoothing > 0 ? F.add(F.mul(targetTensor, 1 - smoothing), smoothing / classes) : targetTensor;
  } else {
    distribution = targetDistribution(logits, targetTensor, smoothing);
  }
  const logProbabilities = F.logSoftmax(logits, 1); // (N, C, ...)
  const perPosition = F.neg(F.reduceSum(F.mul(logProbabilities, distribution), { axes: [1], keepDims: false })); // (N, ...)
  return reduceLoss(perPosition, options.reduction ?? 'mean');
}
