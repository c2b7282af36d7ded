// MatMul (numpy matmul semantics, 1-D promotion, broadcast batch dims) and Gemm
// (Y = alpha * A' * B' + beta * C, C unidirectionally broadcast to (M, N)).
// reference: https://onnx.ai/onnx/operators/onnx__MatMul.html, https://onnx.ai/onnx/operators/onnx__Gemm.html
import type { DType } from '../dtype.js';
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { broadcastInputs } from './elementwise.js';
import { FLOAT_TYPES, input, intAttr, requireRank, sameDType, shapeError } from './infer-helpers.js';

const MATMUL_TYPES: readonly DType[] = [...FLOAT_TYPES, 'int32', 'int64', 'uint32', 'uint64'];

function innerMismatch(context: InferenceContext, left: Dim, right: Dim, a: readonly Dim[], b: readonly Dim[]): void {
  if (typeof left === 'number' && typeof right === 'number' && left !== right) {
    shapeError(context, `inner dimensions differ: ${formatShape(a)} x ${formatShape(b)} (${left} vs ${right})`);
  }
}

/** MatMul output shape for A, B shapes (numpy semantics); A and B at input positions `aIndex`, `bIndex`. */
export function matmulShape(context: InferenceContext, aIndex = 0, bIndex = 1): Dim[] {
  const a = input(context, aIndex).shape;
  const b = input(context, bIndex).shape;
  if (a.length === 0 || b.length === 0) shapeError(context, 'MatMul does not accept scalars');
  const left = a.length === 1 ? [1, a[0] as Dim] : [...a];
  const right = b.length === 1 ? [b[0] as Dim, 1] : [...b];
  innerMismatch(context, left[left.length - 1] as Dim, right[right.length - 2] as Dim, a, b);
  // batch dims broadcast; result (...batch, M, N)
  const batch = broadcastInputs(context, [left.slice(0, -2), right.slice(0, -2)]);
  const shape: Dim[] = [...batch];
  if (a.length !== 1) shape.push(left[left.length - 2] as Dim);
  if (b.length !== 1) shape.push(right[right.length - 1] as Dim);
  return shape;
}

const MatMul: OpSchema = {
  name: 'MatMul',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'A', dtypes: MATMUL_TYPES },
    { name: 'B', dtypes: MATMUL_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1]);
    return [{ dtype, shape: matmulShape(context) }];
  },
};

const Gemm: OpSchema = {
  name: 'Gemm',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'A', dtypes: MATMUL_TYPES },
    { name: 'B', dtypes: MATMUL_TYPES },
    { name: 'C', optional: true, dtypes: MATMUL_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {
    alpha: { type: 'float', default: 1 },
    beta: { type: 'float', default: 1 },
    transA: { type: 'int', default: 0 },
    transB: { type: 'int', default: 0 },
  },
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    const a = requireRank(context, 0, 2);
    const b = requireRank(context, 1, 2);
    const transA = intAttr(context, 'transA') !== 0;
    const transB = intAttr(context, 'transB') !== 0;
    // A': (M, K), B': (K, N)
    const m = a[transA ? 1 : 0] as Dim;
    const k = a[transA ? 0 : 1] as Dim;
    const kb = b[transB ? 1 : 0] as Dim;
    const n = b[transB ? 0 : 1] as Dim;
    if (typeof k === 'number' && typeof kb === 'number' && k !== kb) {
      shapeError(context, `inner dimensions differ: A' (${m}, ${k}) x B' (${kb}, ${n})`);
    }
    const c = context.inputs[2];
    if (c) {
      if (c.shape.length > 2) shapeError(context, `C must have rank <= 2, got ${formatShape(c.shape)}`);
      const target: Dim[] = [m, n];
      const offset = 2 - c.shape.length;
      c.shape.forEach((dim, index) => {
        const goal = target[index + offset] as Dim;
        if (typeof dim === 'number' && dim !== 1 && typeof goal === 'number' && dim !== goal) {
          shapeError(context, `C ${formatShape(c.shape)} does not broadcast to (${m}, ${n})`);
        }
      });
    }
    return [{ dtype, shape: [m, n] }];
  },
};

export const LINEAR_OPS: readonly OpSchema[] = [MatMul, Gemm];
