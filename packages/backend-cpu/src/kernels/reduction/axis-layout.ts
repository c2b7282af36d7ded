// Views a tensor as (outer, reduced, inner) for kernels working along axes: one axis (Softmax,
// ArgMax, CumSum, TopK) or a contiguous block of axes; non-contiguous reduce axes are first
// transposed to the end (kept axes keep their order), giving (outer, reduced, 1).
import { type TensorData, shapeSize } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { transposeTensor } from '../shape/transpose.js';

export interface AxisLayout {
  /** The input itself, or a transposed copy when the axes were not contiguous. */
  readonly input: TensorData;
  readonly outer: number;
  readonly reduced: number;
  readonly inner: number;
}

/** Layout around one normalized axis. */
export function singleAxisLayout(input: TensorData, axis: number): AxisLayout {
  return {
    input,
    outer: shapeSize(input.shape.slice(0, axis)),
    reduced: input.shape[axis] as number,
    inner: shapeSize(input.shape.slice(axis + 1)),
  };
}

/** Layout for a sorted set of distinct normalized axes. */
export function multiAxisLayout(input: TensorData, axes: readonly number[], context: KernelContext): AxisLayout {
  const first = axes[0];
  if (first === undefined) return { input, outer: shapeSize(input.shape), reduced: 1, inner: 1 };
  const contiguous = axes.every((axis, index) => axis === first + index);
  if (contiguous) {
    const last = axes[axes.length - 1] as number;
    return {
      input,
      outer: shapeSize(input.shape.slice(0, first)),
      reduced: shapeSize(input.shape.slice(first, last + 1)),
      inner: shapeSize(input.shape.slice(last + 1)),
    };
  }
  const kept = input.shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const transposed = transposeTensor(input, [...kept, ...axes], context);
  const reduced = shapeSize(axes.map((axis) => input.shape[axis] as number));
  return { input: transposed, outer: shapeSize(input.shape) / Math.max(reduced, 1), reduced, inner: 1 };
}
