// MatMul: numpy matmul semantics — batched with broadcast batch dims, 1-D operands promoted
// (a prepended / b appended 1 that is removed again). float32 goes through the blocked GEMM
// (fast/gemm.ts); float64/int32/int64 use the readable triple loop, also the GEMM's oracle.
// reference: https://onnx.ai/onnx/operators/onnx__MatMul.html
import { DTypeError, type StaticShape, type TensorData, broadcastShapes, formatShape, shapeSize, tensorData } from '@efficientdl/ir';
import { sgemm } from '../../fast/gemm.js';
import type { KernelContext } from '../../kernel-registry.js';
import { requireInput, shapeError } from './kernel-helpers.js';

export interface MatMulLayout {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly outputShape: StaticShape;
  /** Per batch entry of the output: element offsets of that batch's A and B matrices. */
  readonly aOffsets: Int32Array | number[];
  readonly bOffsets: Int32Array | number[];
}

/** Broadcast offsets of a batch shape `source` (right-aligned) for every index of `target`. */
function batchOffsets(source: StaticShape, target: StaticShape, matrixSize: number): number[] {
  const count = shapeSize(target);
  const offsets = new Array<number>(count);
  const shift = target.length - source.length;
  for (let index = 0; index < count; index++) {
    let remaining = index;
    let offset = 0;
    let stride = matrixSize;
    for (let axis = target.length - 1; axis >= 0; axis--) {
      const dim = target[axis] as number;
      const coordinate = remaining % dim;
      remaining = Math.floor(remaining / dim);
      const sourceAxis = axis - shift;
      if (sourceAxis < 0) continue;
      const sourceDim = source[sourceAxis] as number;
      if (sourceDim !== 1) offset += coordinate * stride;
      stride *= sourceDim;
    }
    offsets[index] = offset;
  }
  return offsets;
}

/** Shapes → (m, k, n), output shape and batch offsets; throws ShapeError on mismatch. */
export function matmulLayout(aShape: StaticShape, bShape: StaticShape, context: KernelContext): MatMulLayout {
  if (aShape.length === 0 || bShape.length === 0) throw shapeError(context, 'operands must have rank >= 1', [aShape, bShape]);
  // a: (..., m, k) — a 1-D a is (1, k); b: (..., k, n) — a 1-D b is (k, 1).
  const a2 = aShape.length === 1 ? [1, aShape[0] as number] : aShape;
  const b2 = bShape.length === 1 ? [bShape[0] as number, 1] : bShape;
  const m = a2[a2.length - 2] as number;
  const k = a2[a2.length - 1] as number;
  const n = b2[b2.length - 1] as number;
  if ((b2[b2.length - 2] as number) !== k) throw shapeError(context, 'inner dimensions differ', [aShape, bShape]);
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes([aBatch, bBatch], context.op) as number[];
  } catch {
    throw shapeError(context, 'batch dimensions cannot be broadcast', [aShape, bShape]);
  }
  const outputShape = [...batch];
  if (aShape.length > 1) outputShape.push(m);
  if (bShape.length > 1) outputShape.push(n);
  return { m, k, n, outputShape, aOffsets: batchOffsets(aBatch, batch, m * k), bOffsets: batchOffsets(bBatch, batch, k * n) };
}

/** Naive (m, k) × (k, n) for one batch entry, any numeric storage (int64 via BigInt). */
function naiveProduct(a: TensorData, b: TensorData, out: TensorData, layout: MatMulLayout, batch: number): void {
  const { m, k, n } = layout;
  const aBase = layout.aOffsets[batch] as number;
  const bBase = layout.bOffsets[batch] as number;
  const outBase = batch * m * n;
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      if (out.dtype === 'int64') {
        let sum = 0n;
        for (let depth = 0; depth < k; depth++) {
          sum += (a.data[aBase + row * k + depth] as bigint) * (b.data[bBase + depth * n + col] as bigint);
        }
        (out.data as BigInt64Array)[outBase + row * n + col] = BigInt.asIntN(64, sum);
      } else if (out.dtype === 'int32') {
        let sum = 0;
        for (let depth = 0; depth < k; depth++) {
          sum = (sum + Math.imul(a.data[aBase + row * k + depth] as number, b.data[bBase + depth * n + col] as number)) | 0;
        }
        (out.data as Int32Array)[outBase + row * n + col] = sum;
      } else {
        let sum = 0;
        for (let depth = 0; depth < k; depth++) {
          sum += (a.data[aBase + row * k + depth] as number) * (b.data[bBase + depth * n + col] as number);
        }
        (out.data as Float32Array)[outBase + row * n + col] = sum;
      }
    }
  }
}

const MATMUL_DTYPES = new Set(['float32', 'float64', 'int32', 'int64']);

/** MatMul(A, B) → Y; `useFast` false forces the naive loop (used as the oracle in tests). */
export function matmul(a: TensorData, b: TensorData, context: KernelContext, useFast = true): TensorData {
  if (a.dtype !== b.dtype || !MATMUL_DTYPES.has(a.dtype)) {
    throw new DTypeError(
      `${context.op} (node '${context.node}'): operands must share a dtype among float32/float64/int32/int64, got ${a.dtype}${formatShape(a.shape)} and ${b.dtype}${formatShape(b.shape)}`,
      { op: context.op, node: context.node },
    );
  }
  const layout = matmulLayout(a.shape, b.shape, context);
  const out = tensorData(a.dtype, layout.outputShape);
  const batches = layout.aOffsets.length;
  const { m, k, n } = layout;
  for (let batch = 0; batch < batches; batch++) {
    if (useFast && a.dtype === 'float32') {
      sgemm({
        m, n, k,
        a: a.data as Float32Array, aOffset: layout.aOffsets[batch] as number,
        b: b.data as Float32Array, bOffset: layout.bOffsets[batch] as number,
        c: out.data as Float32Array, cOffset: batch * m * n,
      });
    } else {
      naiveProduct(a, b, out, layout, batch);
    }
  }
  return out;
}

export function matmulKernel(inputs: readonly (TensorData | undefined)[], _attrs: unknown, context: KernelContext): TensorData[] {
  return [matmul(requireInput(inputs, 0, context, 'A'), requireInput(inputs, 1, context, 'B'), context)];
}
