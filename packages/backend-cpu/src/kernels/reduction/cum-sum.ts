// CumSum(x, axis): running sum along `axis` (a scalar int32/int64 input); exclusive = 1 leaves out
// the current element, reverse = 1 sums from the end. Integer sums wrap through the store.
// reference: https://onnx.ai/onnx/operators/onnx__CumSum.html
import { fromNumbers, isFloatDType, toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  NUMERIC_DTYPES,
  type NumberArray,
  checkDType,
  computeValues,
  fromComputeValues,
  isBigIntDType,
  readIntegerInput,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';
import { singleAxisLayout } from './axis-layout.js';

const cumSumKernel: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  checkDType(x, NUMERIC_DTYPES, context, 'x');
  const axisValues = readIntegerInput(requireInput(inputs, 1, context), context, 'axis') ?? [];
  if (axisValues.length !== 1) throw shapeError(context, `axis must hold one value, got ${axisValues.length}`);
  const axis = resolveAxis(axisValues[0] as number, x.shape.length, context);
  const exclusive = attrs.exclusive === 1;
  const reverse = attrs.reverse === 1;
  // x: (outer, D, inner); walk D forward or backward per (outer, inner) lane.
  const { outer, reduced, inner } = singleAxisLayout(x, axis);
  const values = isBigIntDType(x.dtype) ? toNumberArray(x) : (computeValues(x) as NumberArray);
  const out = new Float64Array(values.length);
  for (let row = 0; row < outer; row++) {
    for (let i = 0; i < inner; i++) {
      let sum = 0;
      for (let step = 0; step < reduced; step++) {
        const r = reverse ? reduced - 1 - step : step;
        const index = (row * reduced + r) * inner + i;
        if (exclusive) {
          out[index] = sum;
          sum += values[index] as number;
        } else {
          sum += values[index] as number;
          out[index] = sum;
        }
      }
    }
  }
  if (isFloatDType(x.dtype)) return [fromComputeValues(x.dtype, x.shape, x.dtype === 'float64' ? out : Float32Array.from(out))];
  return [fromNumbers(x.dtype, x.shape, out)];
};

export const CUM_SUM_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'CumSum', kernel: cumSumKernel })];
