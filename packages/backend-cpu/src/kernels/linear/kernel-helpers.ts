// Shared helpers of the NN kernels: required inputs, float dtype checks, typed output
// allocation and integer-list attributes, all throwing typed errors that name op and node.
import {
  type Attributes,
  DTypeError,
  type DType,
  ShapeError,
  type StaticShape,
  type TensorData,
  formatShape,
  tensorData,
} from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';

export type FloatArray = Float32Array | Float64Array;

/** The input at `index`, or a ShapeError naming op, node and the missing input. */
export function requireInput(inputs: readonly (TensorData | undefined)[], index: number, context: KernelContext, name: string): TensorData {
  const input = inputs[index];
  if (!input) {
    throw new ShapeError(`${context.op} (node '${context.node}'): missing required input ${index} '${name}'`, {
      op: context.op,
      node: context.node,
    });
  }
  return input;
}

/** Checks that a tensor is float32/float64 and returns its storage typed as such. */
export function floatData(tensor: TensorData, context: KernelContext, name: string): FloatArray {
  if (tensor.dtype !== 'float32' && tensor.dtype !== 'float64') {
    throw new DTypeError(
      `${context.op} (node '${context.node}'): input '${name}' must be float32 or float64, got ${tensor.dtype}${formatShape(tensor.shape)}`,
      { op: context.op, node: context.node, dtype: tensor.dtype },
    );
  }
  return tensor.data as FloatArray;
}

/** Checks that `other` has the same dtype as `reference` (float ops mix no dtypes). */
export function requireSameDType(reference: TensorData, other: TensorData, context: KernelContext, name: string): void {
  if (other.dtype !== reference.dtype) {
    throw new DTypeError(
      `${context.op} (node '${context.node}'): input '${name}' has dtype ${other.dtype}, expected ${reference.dtype}`,
      { op: context.op, node: context.node },
    );
  }
}

/** A zero-filled float tensor of `dtype` and `shape` plus its typed storage. */
export function createFloatTensor(dtype: DType, shape: StaticShape): { tensor: TensorData; data: FloatArray } {
  const tensor = tensorData(dtype, shape);
  return { tensor, data: tensor.data as FloatArray };
}

/** An `ints` attribute as a number array, or undefined when absent or empty. */
export function intsAttribute(attrs: Attributes, name: string): number[] | undefined {
  const value = attrs[name];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item) => Number(item));
}

export function intAttribute(attrs: Attributes, name: string, fallback: number): number {
  const value = attrs[name];
  return typeof value === 'number' ? value : fallback;
}

export function floatAttribute(attrs: Attributes, name: string, fallback: number): number {
  const value = attrs[name];
  return typeof value === 'number' ? value : fallback;
}

export function stringAttribute(attrs: Attributes, name: string, fallback: string): string {
  const value = attrs[name];
  return typeof value === 'string' ? value : fallback;
}

/** A ShapeError whose message names the op, the node and the offending shapes. */
export function shapeError(context: KernelContext, problem: string, shapes: readonly StaticShape[] = []): ShapeError {
  const shapeText = shapes.length ? ` (shapes ${shapes.map(formatShape).join(', ')})` : '';
  return new ShapeError(`${context.op} (node '${context.node}'): ${problem}${shapeText}`, {
    op: context.op,
    node: context.node,
    shapes: shapes.map((shape) => [...shape]),
  });
}
