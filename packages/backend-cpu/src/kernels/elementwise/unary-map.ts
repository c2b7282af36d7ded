// Shared driver of elementwise unary kernels: checks the dtype, maps the values (float32 through
// the op's dedicated loop when it has one) (float16/bfloat16
// through float32, int64/uint64 through BigInt when the op defines a BigInt form) and keeps the shape.
import type { DType, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import {
  type BigIntArray,
  type NumberArray,
  allocateComputeValues,
  checkDType,
  computeValues,
  dtypeError,
  fromComputeValues,
  isBigIntDType,
  requireInput,
} from './kernel-support.js';

export interface UnaryFunctions {
  readonly number: (x: number) => number;
  readonly bigint?: (x: bigint) => bigint;
  /** Optional dedicated float32 loop (target[i] = f(source[i]) for every i), no per-element call. */
  readonly float32?: (source: Float32Array, target: Float32Array) => void;
}

/** Applies `functions` to every element of input 0; output has the input dtype and shape. */
export function mapUnary(
  inputs: readonly (TensorData | undefined)[],
  context: KernelContext,
  dtypes: readonly DType[],
  functions: UnaryFunctions,
): TensorData {
  const x = requireInput(inputs, 0, context);
  checkDType(x, dtypes, context, 'X');
  if (x.dtype === 'float32' && functions.float32) {
    const source = x.data as Float32Array;
    const target = new Float32Array(source.length);
    functions.float32(source, target);
    return { dtype: 'float32', shape: [...x.shape], data: target };
  }
  const values = computeValues(x);
  const count = values.length;
  const out = allocateComputeValues(x.dtype, count);
  if (isBigIntDType(x.dtype)) {
    const apply = functions.bigint;
    if (!apply) throw dtypeError(context, `${x.dtype} input is not supported`, { dtype: x.dtype });
    const [source, target] = [values as BigIntArray, out as BigIntArray];
    for (let index = 0; index < count; index++) target[index] = apply(source[index] as bigint);
  } else {
    const apply = functions.number;
    const [source, target] = [values as NumberArray, out as NumberArray];
    for (let index = 0; index < count; index++) target[index] = apply(source[index] as number);
  }
  return fromComputeValues(x.dtype, x.shape, out);
}
