// Shared checks of the ai.efficientdl gradient kernels: float32 operands, shape attributes,
// and dY shapes that must equal the forward op's output shape.
import { DTypeError, type StaticShape, type TensorData, formatShape } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { intsAttribute, shapeError } from '../linear/kernel-helpers.js';
import type { Attributes } from '@efficientdl/ir';

/** The Float32Array of a gradient-op operand (these kernels are float32 only). */
export function float32Data(tensor: TensorData, context: KernelContext, name: string): Float32Array {
  if (tensor.dtype !== 'float32') {
    throw new DTypeError(`${context.op} (node '${context.node}'): input '${name}' must be float32, got ${tensor.dtype}${formatShape(tensor.shape)}`, {
      op: context.op,
      node: context.node,
    });
  }
  return tensor.data as Float32Array;
}

/** A required shape attribute (input_shape / weight_shape). */
export function shapeAttribute(attrs: Attributes, name: string, context: KernelContext): number[] {
  const shape = intsAttribute(attrs, name);
  if (!shape || shape.some((dim) => !Number.isInteger(dim) || dim < 0)) throw shapeError(context, `attribute '${name}' must be a shape`);
  return shape;
}

/** Throws unless dY's shape equals the forward output shape the attributes imply. */
export function requireGradientShape(dy: TensorData, expected: StaticShape, context: KernelContext): void {
  if (dy.shape.length !== expected.length || dy.shape.some((dim, axis) => dim !== expected[axis])) {
    throw shapeError(context, `dY ${formatShape(dy.shape)} does not match the forward output ${formatShape(expected)}`, [dy.shape, expected]);
  }
}

/** The conv gradient fast path covers 1-D and 2-D convolutions. */
export function requireConvRank(shape: StaticShape, context: KernelContext): void {
  if (shape.length !== 3 && shape.length !== 4) throw shapeError(context, 'only 1-D and 2-D convolutions are supported', [shape]);
}
