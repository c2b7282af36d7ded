// Gemm: Y = alpha · A' · B' + beta · C with A' = transA ? Aᵀ : A, B' = transB ? Bᵀ : B and C
// unidirectionally broadcast to (M, N). float32 runs on the blocked GEMM (transposes read in
// place); other dtypes on a naive loop, which is also the oracle of the fast path.
// reference: https://onnx.ai/onnx/operators/onnx__Gemm.html
import { type Attributes, DTypeError, type TensorData, formatShape, tensorData, toNumberArray } from '@efficientdl/ir';
import { sgemm } from '../../fast/gemm.js';
import type { KernelContext } from '../../kernel-registry.js';
import { floatAttribute, intAttribute, requireInput, shapeError } from './kernel-helpers.js';

const GEMM_DTYPES = new Set(['float32', 'float64', 'int32', 'int64']);

interface GemmProblem {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

function gemmProblem(a: TensorData, b: TensorData, attrs: Attributes, context: KernelContext): GemmProblem {
  if (a.shape.length !== 2 || b.shape.length !== 2) throw shapeError(context, 'A and B must be 2-D', [a.shape, b.shape]);
  const transA = intAttribute(attrs, 'transA', 0) !== 0;
  const transB = intAttribute(attrs, 'transB', 0) !== 0;
  // a: (M, K) or (K, M) when transA; b: (K, N) or (N, K) when transB
  const [m, k] = transA ? [a.shape[1] as number, a.shape[0] as number] : [a.shape[0] as number, a.shape[1] as number];
  const [kB, n] = transB ? [b.shape[1] as number, b.shape[0] as number] : [b.shape[0] as number, b.shape[1] as number];
  if (k !== kB) throw shapeError(context, `inner dimensions differ (transA=${+transA}, transB=${+transB})`, [a.shape, b.shape]);
  return { m, k, n, transA, transB, alpha: floatAttribute(attrs, 'alpha', 1), beta: floatAttribute(attrs, 'beta', 1) };
}

/** Adds beta · C (broadcast to (M, N)) into y, which holds (M, N) values as numbers. */
function addBias(y: { [index: number]: number }, c: TensorData, problem: GemmProblem, context: KernelContext): void {
  const { m, n, beta } = problem;
  const rank = c.shape.length;
  const rows = rank === 2 ? (c.shape[0] as number) : 1;
  const cols = rank >= 1 ? (c.shape[rank - 1] as number) : 1;
  if (rank > 2 || (rows !== 1 && rows !== m) || (cols !== 1 && cols !== n)) {
    throw shapeError(context, `C ${formatShape(c.shape)} cannot be broadcast to (${m}, ${n})`, [c.shape]);
  }
  const values = toNumberArray(c);
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      const index = (rows === 1 ? 0 : row) * cols + (cols === 1 ? 0 : col);
      y[row * n + col] = (y[row * n + col] as number) + beta * (values[index] as number);
    }
  }
}

/** Naive oracle: (M, N) products as float64 numbers. */
export function gemmNaive(a: TensorData, b: TensorData, problem: GemmProblem): Float64Array {
  const { m, k, n, transA, transB, alpha } = problem;
  const aValues = toNumberArray(a);
  const bValues = toNumberArray(b);
  const y = new Float64Array(m * n);
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let depth = 0; depth < k; depth++) {
        const aValue = aValues[transA ? depth * m + row : row * k + depth] as number;
        const bValue = bValues[transB ? col * k + depth : depth * n + col] as number;
        sum += aValue * bValue;
      }
      y[row * n + col] = alpha * sum;
    }
  }
  return y;
}

/** Gemm kernel; `useFast` false forces the naive loop for float32 too. */
export function gemm(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext, useFast = true): TensorData {
  const a = requireInput(inputs, 0, context, 'A');
  const b = requireInput(inputs, 1, context, 'B');
  const c = inputs[2];
  if (a.dtype !== b.dtype || !GEMM_DTYPES.has(a.dtype) || (c && c.dtype !== a.dtype)) {
    throw new DTypeError(`${context.op} (node '${context.node}'): A, B (and C) must share a dtype among float32/float64/int32/int64, got ${a.dtype}, ${b.dtype}${c ? `, ${c.dtype}` : ''}`, {
      op: context.op,
      node: context.node,
    });
  }
  const problem = gemmProblem(a, b, attrs, context);
  const { m, k, n } = problem;
  if (useFast && a.dtype === 'float32') {
    const out = tensorData('float32', [m, n]);
    const y = out.data as Float32Array;
    sgemm({ m, n, k, a: a.data as Float32Array, b: b.data as Float32Array, c: y, transA: problem.transA, transB: problem.transB, alpha: problem.alpha });
    if (c && problem.beta !== 0) addBias(y, c, problem, context);
    return out;
  }
  const y = gemmNaive(a, b, problem);
  if (c && problem.beta !== 0) addBias(y, c, problem, context);
  const out = tensorData(a.dtype, [m, n]);
  for (let index = 0; index < m * n; index++) {
    if (a.dtype === 'int64') (out.data as BigInt64Array)[index] = BigInt(Math.trunc(y[index] as number));
    else (out.data as Float64Array)[index] = y[index] as number;
  }
  return out;
}

export function gemmKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  return [gemm(inputs, attrs, context)];
}
