// MatMulInteger(A, B, a_zero_point?, b_zero_point?) → int32 (A − a_zp) · (B − b_zp), and
// QLinearMatMul, which requantizes that product: y = saturate(round_half_even(acc ·
// a_scale · b_scale / y_scale) + y_zero_point). Zero points / scales are per tensor, per row of
// A or per column of B. Per-tensor zero points run the int8 GEMM (int32 accumulation, WebAssembly
// SIMD when loaded); per-axis ones the readable loop, whose sums are exact in float64.
// reference: https://onnx.ai/onnx/operators/onnx__MatMulInteger.html, https://onnx.ai/onnx/operators/onnx__QLinearMatMul.html
import { type Attributes, type TensorData, fromNumbers, tensorData } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { requireInput } from '../elementwise/kernel-support.js';
import { type MatMulLayout, matmulLayout } from '../linear/matmul.js';
import { int8Gemm } from '../../wasm/int8-gemm.js';
import { INT8_DTYPES, type Parameter, checkQuantized, quantizedValues, readParameter, requantize, scaleRounding } from './integer-parameters.js';

interface IntegerProduct {
  readonly layout: MatMulLayout;
  /** (batch, m, n) integer accumulations: int32 from the int8 GEMM, exact float64 from the loop */
  readonly accumulators: Int32Array | Float64Array;
}

/** Σ_k (a[m,k] − aZero[m]) · (b[k,n] − bZero[n]) for every batch entry. */
function integerProduct(a: TensorData, b: TensorData, zeros: { a?: TensorData; b?: TensorData }, context: KernelContext): IntegerProduct {
  const layout = matmulLayout(a.shape, b.shape, context);
  const { m, n } = layout;
  checkQuantized(a, zeros.a, context, 'A');
  checkQuantized(b, zeros.b, context, 'B');
  const aZero = readParameter(zeros.a, m, context, 'a_zero_point');
  const bZero = readParameter(zeros.b, n, context, 'b_zero_point');
  const count = layout.aOffsets.length * m * n;
  if (aZero.values.length === 1 && bZero.values.length === 1) {
    // Per-tensor zero points: the int8 GEMM (WebAssembly when loaded, int32 accumulation).
    const accumulators = new Int32Array(count);
    productPerTensor({ layout, a: a.data as Int8Array | Uint8Array, b: b.data as Int8Array | Uint8Array, aZero: aZero.at(0), bZero: bZero.at(0) }, accumulators);
    return { layout, accumulators };
  }
  const accumulators = new Float64Array(count);
  const aValues = quantizedValues(a, zeros.a, context, 'A');
  const bValues = quantizedValues(b, zeros.b, context, 'B');
  productPerAxis({ layout, aValues, bValues, aZero, bZero }, accumulators);
  return { layout, accumulators };
}

interface PerTensorProblem {
  layout: MatMulLayout;
  a: Int8Array | Uint8Array;
  b: Int8Array | Uint8Array;
  aZero: number;
  bZero: number;
}

function productPerTensor(problem: PerTensorProblem, accumulators: Int32Array): void {
  const { layout, a, b, aZero, bZero } = problem;
  const { m, k, n } = layout;
  layout.aOffsets.forEach((aOffset, batch) => {
    const bOffset = layout.bOffsets[batch] as number;
    int8Gemm({ m, n, k, a, b, aOffset, bOffset, aZeroPoint: aZero, bZeroPoint: bZero, c: accumulators, cOffset: batch * m * n });
  });
}

interface PerAxisProblem {
  layout: MatMulLayout;
  aValues: Float64Array;
  bValues: Float64Array;
  aZero: Parameter;
  bZero: Parameter;
}

/** The readable loop, for per-row / per-column zero points. */
function productPerAxis(problem: PerAxisProblem, accumulators: Float64Array): void {
  const { layout, aValues, bValues, aZero, bZero } = problem;
  const { m, k, n } = layout;
  layout.aOffsets.forEach((aBase, batch) => {
    const bBase = layout.bOffsets[batch] as number;
    for (let row = 0; row < m; row++) {
      for (let col = 0; col < n; col++) {
        let sum = 0;
        for (let depth = 0; depth < k; depth++) {
          const left = (aValues[aBase + row * k + depth] as number) - aZero.at(row);
          const right = (bValues[bBase + depth * n + col] as number) - bZero.at(col);
          sum += left * right;
        }
        accumulators[(batch * m + row) * n + col] = sum;
      }
    }
  });
}

function matmulIntegerKernel(inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext): TensorData[] {
  const a = requireInput(inputs, 0, context);
  const b = requireInput(inputs, 1, context);
  const { layout, accumulators } = integerProduct(a, b, { a: inputs[2], b: inputs[3] }, context);
  if (accumulators instanceof Int32Array) return [tensorData('int32', layout.outputShape, accumulators)];
  return [fromNumbers('int32', layout.outputShape, accumulators.map((value) => value | 0))];
}

function qlinearMatmulKernel(inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext): TensorData[] {
  const [a, aScale, aZero, b, bScale, bZero, yScale, yZero] = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => requireInput(inputs, index, context)) as TensorData[];
  const { layout, accumulators } = integerProduct(a as TensorData, b as TensorData, { a: aZero, b: bZero }, context);
  const { m, n } = layout;
  const aScales = readParameter(aScale, m, context, 'a_scale');
  const bScales = readParameter(bScale, n, context, 'b_scale');
  const outScale = readParameter(yScale, 1, context, 'y_scale').at(0);
  const outZero = readParameter(yZero, 1, context, 'y_zero_point').at(0);
  const round = scaleRounding((aScale as TensorData).dtype);
  const out = new Float64Array(accumulators.length);
  for (let index = 0; index < out.length; index++) {
    const row = Math.floor(index / n) % m;
    const col = index % n;
    // multiplier = a_scale · b_scale / y_scale, in the scales' precision
    const multiplier = round(round(aScales.at(row) * bScales.at(col)) / outScale);
    out[index] = requantize((accumulators[index] as number) * multiplier, outZero, (yZero as TensorData).dtype);
  }
  return [fromNumbers((yZero as TensorData).dtype, layout.outputShape, out)];
}

export const INTEGER_MATMUL_KERNELS: readonly KernelDefinition[] = [
  { op: 'MatMulInteger', dtypes: INT8_DTYPES, kernel: matmulIntegerKernel },
  { op: 'QLinearMatMul', dtypes: INT8_DTYPES, kernel: qlinearMatmulKernel },
];
