// KL divergence (torch.nn.KLDivLoss): the input holds log-probabilities; the target holds
// probabilities (or log-probabilities with logTarget). Pointwise: t · (log t − input), with
// 0 · log 0 = 0. Reduction 'batchmean' (default here, the mathematically correct KL) divides the
// sum by the batch size; 'mean' divides by the element count as PyTorch does.
import { ShapeError, formatShape, shapesEqual } from '@efficientdl/ir';
import { F, type Tensor } from '@efficientdl/tensor';
import { type Reduction, reduceLoss } from './reduction.js';

export interface KlDivergenceOptions {
  reduction?: Reduction | 'batchmean';
  /** The target holds log-probabilities (default false). */
  logTarget?: boolean;
}

/** Smallest probability fed to log: keeps 0 · log 0 at 0 with a finite gradient. */
const TINY = 1e-30;

// input: (N, ...) log-probabilities; target: same shape
export function klDivergence(input: Tensor, target: Tensor, options: KlDivergenceOptions = {}): Tensor {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`klDivergence: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} differ`, {
      op: 'klDivergence',
    });
  }
  const pointwise = options.logTarget
    ? F.mul(F.exp(target), F.sub(target, input))
    : F.mul(target, F.sub(F.log(F.clip(target, TINY)), input));
  const reduction = options.reduction ?? 'batchmean';
  if (reduction !== 'batchmean') return reduceLoss(pointwise, reduction);
  const batch = input.rank === 0 ? 1 : (input.shape[0] as number);
  return F.div(reduceLoss(pointwise, 'sum'), batch);
}
