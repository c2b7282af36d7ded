// Scale / zero-point layout shared by QuantizeLinear and DequantizeLinear: per-tensor (scalar or
// one element), per-axis (1-D of size dim[axis]) or blocked (same rank as x, dim[axis] replaced by
// ceil(dim[axis] / block_size)). Maps every element of x to its parameter index.
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
import { type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { shapeError } from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';

/** parameterIndex[element] for every element of x (row-major). */
export function parameterIndices(x: TensorData, scale: TensorData, attrs: { axis?: number; blockSize?: number }, context: KernelContext): Int32Array {
  const count = shapeSize(x.shape);
  const indices = new Int32Array(count);
  const scaleCount = shapeSize(scale.shape);
  const blockSize = attrs.blockSize ?? 0;
  if (scale.shape.length === 0 || (scaleCount === 1 && blockSize === 0)) return indices;
  const axis = resolveAxis(attrs.axis ?? 1, x.shape.length, context);
  // x: (outer, D, inner)
  const dim = x.shape[axis] as number;
  const outer = shapeSize(x.shape.slice(0, axis));
  const inner = shapeSize(x.shape.slice(axis + 1));
  if (blockSize === 0) {
    if (scale.shape.length !== 1 || scaleCount !== dim) {
      throw shapeError(context, `per-axis scale ${formatShape(scale.shape)} must be (${dim}) for axis ${axis} of ${formatShape(x.shape)}`);
    }
    for (let index = 0; index < count; index++) indices[index] = Math.floor(index / inner) % dim;
    return indices;
  }
  // Blocked: scale (outer…, ceil(D / block), inner…)
  const blocks = Math.ceil(dim / blockSize);
  const expected = x.shape.map((d, index) => (index === axis ? blocks : d));
  const matches = scale.shape.length === expected.length && scale.shape.every((d, index) => d === expected[index]);
  if (!matches || blockSize < 0) {
    throw shapeError(context, `blocked scale ${formatShape(scale.shape)} must be ${formatShape(expected)} for block_size ${blockSize}`);
  }
  for (let row = 0; row < outer; row++) {
    for (let d = 0; d < dim; d++) {
      const block = Math.floor(d / blockSize);
      for (let i = 0; i < inner; i++) indices[(row * dim + d) * inner + i] = (row * blocks + block) * inner + i;
    }
  }
  return indices;
}

/** Zero point must have the scale's shape. */
export function checkZeroPointShape(scale: TensorData, zeroPoint: TensorData | undefined, context: KernelContext): void {
  if (!zeroPoint) return;
  const same = zeroPoint.shape.length === scale.shape.length && zeroPoint.shape.every((d, index) => d === scale.shape[index]);
  if (!same && shapeSize(zeroPoint.shape) !== shapeSize(scale.shape)) {
    throw shapeError(context, `zero point ${formatShape(zeroPoint.shape)} does not match scale ${formatShape(scale.shape)}`);
  }
}

/** Round half to even (banker's rounding), as ONNX quantization requires. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
