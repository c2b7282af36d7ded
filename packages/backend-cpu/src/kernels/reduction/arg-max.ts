// ArgMax and ArgMin along one axis (keepdims, select_last_index) → int64 indices. Ties pick the
// first occurrence unless select_last_index = 1.
// reference: https://onnx.ai/onnx/operators/onnx__ArgMax.html, https://onnx.ai/onnx/operators/onnx__ArgMin.html
import { toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { NUMERIC_DTYPES, type NumberArray, checkDType, computeValues, isBigIntDType, requireInput } from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';
import { singleAxisLayout } from './axis-layout.js';

function argKernel(largest: boolean): Kernel {
  return (inputs, attrs, context) => {
    const data = requireInput(inputs, 0, context);
    checkDType(data, NUMERIC_DTYPES, context, 'data');
    const axis = resolveAxis((attrs.axis as number | undefined) ?? 0, data.shape.length, context);
    const last = attrs.select_last_index === 1;
    // data: (outer, D, inner) → indices: (outer, inner)
    const { outer, reduced, inner } = singleAxisLayout(data, axis);
    const values = isBigIntDType(data.dtype) ? toNumberArray(data) : (computeValues(data) as NumberArray);
    const out = new BigInt64Array(outer * inner);
    for (let row = 0; row < outer; row++) {
      for (let i = 0; i < inner; i++) {
        let bestIndex = 0;
        let best = values[row * reduced * inner + i] as number;
        for (let r = 1; r < reduced; r++) {
          const value = values[(row * reduced + r) * inner + i] as number;
          const better = largest ? value > best : value < best;
          if (better || (last && value === best)) {
            best = value;
            bestIndex = r;
          }
        }
        out[row * inner + i] = BigInt(bestIndex);
      }
    }
    const shape = data.shape.flatMap((dim, index) => (index === axis ? (attrs.keepdims === 0 ? [] : [1]) : [dim]));
    return [{ dtype: 'int64', shape, data: out }];
  };
}

export const ARG_MAX_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'ArgMax', kernel: argKernel(true) }),
  defineKernel({ op: 'ArgMin', kernel: argKernel(false) }),
];
