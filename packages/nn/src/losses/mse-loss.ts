// Mean squared error (torch.nn.functional.mse_loss): reduce((input − target)²).
import { ShapeError, formatShape, shapesEqual } from '@efficientdl/ir';
import { F, type Tensor } from '@efficientdl/tensor';
import { type Reduction, reduceLoss } from './reduction.js';

export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`mseLoss: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} differ`, { op: 'mseLoss' });
  }
  const difference = F.sub(input, target);
  return reduceLoss(F.mul(difference, difference), options.reduction ?? 'mean');
}
