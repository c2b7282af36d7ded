// TopK(X, K): the K largest (or smallest, largest = 0) elements along `axis` with their int64
// indices. Output is always sorted (also allowed for sorted = 0); equal values keep the lower
// index first.
// reference: https://onnx.ai/onnx/operators/onnx__TopK.html
import { formatShape, toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  NUMERIC_DTYPES,
  type NumberArray,
  allocateElements,
  checkDType,
  computeValues,
  elementStorage,
  fromElements,
  isBigIntDType,
  readIntegerInput,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';
import { singleAxisLayout } from './axis-layout.js';

const topKKernel: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  checkDType(x, NUMERIC_DTYPES, context, 'X');
  const kValues = readIntegerInput(requireInput(inputs, 1, context), context, 'K') ?? [];
  const axis = resolveAxis((attrs.axis as number | undefined) ?? -1, x.shape.length, context);
  const k = kValues[0] ?? -1;
  const dim = x.shape[axis] as number;
  if (kValues.length !== 1 || k < 0 || k > dim) throw shapeError(context, `K = [${kValues.join(', ')}] is invalid for axis ${axis} of ${formatShape(x.shape)}`);
  const largest = attrs.largest !== 0;
  // X: (outer, D, inner) → values, indices: (outer, K, inner)
  const { outer, inner } = singleAxisLayout(x, axis);
  const keys = isBigIntDType(x.dtype) ? toNumberArray(x) : (computeValues(x) as NumberArray);
  const elements = elementStorage(x) as Float32Array;
  const values = allocateElements(x.dtype, outer * k * inner) as Float32Array;
  const indices = new BigInt64Array(outer * k * inner);
  const order = Array.from({ length: dim }, (_, index) => index);
  for (let row = 0; row < outer; row++) {
    for (let i = 0; i < inner; i++) {
      const at = (r: number) => (row * dim + r) * inner + i;
      for (let r = 0; r < dim; r++) order[r] = r;
      order.sort((p, q) => {
        const a = keys[at(p)] as number;
        const b = keys[at(q)] as number;
        if (a === b) return p - q;
        return largest ? (a > b ? -1 : 1) : a < b ? -1 : 1;
      });
      for (let r = 0; r < k; r++) {
        const target = (row * k + r) * inner + i;
        values[target] = elements[at(order[r] as number)] as number;
        indices[target] = BigInt(order[r] as number);
      }
    }
  }
  const shape = x.shape.map((d, index) => (index === axis ? k : d));
  return [fromElements(x.dtype, shape, values), { dtype: 'int64', shape, data: indices }];
};

export const TOP_K_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'TopK', kernel: topKKernel })];
