// Clip(input, min?, max?): clamps every element to [min, max]; omitted bounds are unbounded.
// min/max are scalars of the input dtype (opset 11+ inputs); min > max gives max (ONNX: min(max(x, min), max)).
// reference: https://onnx.ai/onnx/operators/onnx__Clip.html
import type { TensorData } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  type BigIntArray,
  NUMERIC_DTYPES,
  type NumberArray,
  allocateComputeValues,
  checkDType,
  checkSameDType,
  computeValues,
  fromComputeValues,
  isBigIntDType,
  requireInput,
  shapeError,
} from './kernel-support.js';

function scalarBound(bound: TensorData | undefined, x: TensorData, context: KernelContext, role: string): number | bigint | undefined {
  if (!bound) return undefined;
  checkSameDType([x, bound], context);
  if (bound.data.length !== 1) throw shapeError(context, `${role} must be a scalar, got shape (${bound.shape.join(', ')})`);
  return computeValues(bound)[0] as number | bigint;
}

const clipKernel: Kernel = (inputs, _attrs, context) => {
  const x = requireInput(inputs, 0, context);
  checkDType(x, NUMERIC_DTYPES, context, 'input');
  const minimum = scalarBound(inputs[1], x, context, 'min');
  const maximum = scalarBound(inputs[2], x, context, 'max');
  const values = computeValues(x);
  const count = values.length;
  const out = allocateComputeValues(x.dtype, count);
  if (isBigIntDType(x.dtype)) {
    const [source, target] = [values as BigIntArray, out as BigIntArray];
    for (let index = 0; index < count; index++) {
      let value = source[index] as bigint;
      if (minimum !== undefined && value < (minimum as bigint)) value = minimum as bigint;
      if (maximum !== undefined && value > (maximum as bigint)) value = maximum as bigint;
      target[index] = value;
    }
  } else {
    const low = minimum === undefined ? Number.NEGATIVE_INFINITY : (minimum as number);
    const high = maximum === undefined ? Number.POSITIVE_INFINITY : (maximum as number);
    const [source, target] = [values as NumberArray, out as NumberArray];
    for (let index = 0; index < count; index++) {
      const value = source[index] as number;
      // NaN stays NaN (comparisons with NaN are false).
      target[index] = value < low ? low : value > high ? high : value;
    }
    if (low > high) target.fill(high);
  }
  return [fromComputeValues(x.dtype, x.shape, out)];
};

export const CLIP_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Clip', kernel: clipKernel })];
