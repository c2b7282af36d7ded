// Loss reductions shared by the losses ('mean' | 'sum' | 'none', as torch.nn losses).
import { F, type Tensor } from '@efficientdl/tensor';

export type Reduction = 'mean' | 'sum' | 'none';

/** Reduces elementwise losses to a scalar (or leaves them for 'none'). */
export function reduceLoss(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  const axes = losses.shape.map((_, axis) => axis);
  if (axes.length === 0) return losses;
  return reduction === 'sum' ? F.reduceSum(losses, { axes, keepDims: false }) : F.reduceMean(losses, { axes, keepDims: false });
}
