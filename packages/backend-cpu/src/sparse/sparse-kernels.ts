// Kernels of the weight-sparse ops SparseGemm and SparseConv (domain ai.efficientdl): inputs are
// validated (dtypes, shapes against weight_shape, the CSR / N:M structure), then the WebAssembly
// kernels run (wasm-sparse-gemm.ts, wasm-sparse-conv.ts) with the readable loops of
// sparse-reference.ts as the fallback (modules not built or a problem too large for them) and
// as the oracle (`useFast` false).
// reference: https://onnx.ai/onnx/operators/onnx__Gemm.html, https://onnx.ai/onnx/operators/onnx__Conv.html
import { type Attributes, DTypeError, EFFICIENTDL_DOMAIN, type TensorData, tensorData } from '@efficientdl/ir';
import { convSetup } from '../kernels/convolution/conv-setup.js';
import { requireInput, requireSameDType, shapeError } from '../kernels/linear/kernel-helpers.js';
import type { KernelContext, KernelDefinition } from '../kernel-registry.js';
import { sparseConvReference, sparseGemmReference } from './sparse-reference.js';
import { readSparseWeight } from './sparse-weight.js';
import { wasmSparseConv } from './wasm-sparse-conv.js';
import { wasmSparseGemm } from './wasm-sparse-gemm.js';

type Inputs = readonly (TensorData | undefined)[];

/** The optional bias at input 4: float32 (length) or undefined. */
function biasOf(inputs: Inputs, reference: TensorData, length: number, context: KernelContext): Float32Array | undefined {
  const bias = inputs[4];
  if (!bias) return undefined;
  requireSameDType(reference, bias, context, 'bias');
  if (bias.shape.length !== 1 || bias.shape[0] !== length) throw shapeError(context, `bias must be (${length})`, [bias.shape]);
  return bias.data as Float32Array;
}

function requireFloat32(tensor: TensorData, context: KernelContext, name: string): void {
  if (tensor.dtype !== 'float32') {
    throw new DTypeError(`${context.op} (node '${context.node}'): ${name} must be float32, got ${tensor.dtype}`, { op: context.op, node: context.node });
  }
}

/** SparseGemm(A, values, indices, row_pointers?, C?) → Y (batch, N); `useFast` false forces the reference loops. */
export function sparseGemm(inputs: Inputs, attrs: Attributes, context: KernelContext, useFast = true): TensorData {
  // a: (batch, K), W: (N, K) sparse, bias: (N)
  const a = requireInput(inputs, 0, context, 'A');
  requireFloat32(a, context, 'A');
  const weight = readSparseWeight(inputs, attrs, context);
  if (weight.shape.length !== 2 || a.shape.length !== 2 || a.shape[1] !== weight.cols) {
    throw shapeError(context, `A must be (batch, ${weight.cols}) for weight_shape [${weight.shape.join(', ')}]`, [a.shape]);
  }
  const batch = a.shape[0] as number;
  const bias = biasOf(inputs, a, weight.rows, context);
  const out = tensorData('float32', [batch, weight.rows]);
  const options = { a: a.data as Float32Array, batch, weight, bias, y: out.data as Float32Array };
  if (!useFast || !wasmSparseGemm(options)) sparseGemmReference(options);
  return out;
}

/** SparseConv(X, values, indices, row_pointers?, B?) → Y (N, M, oH, oW); `useFast` false forces the reference loops. */
export function sparseConv(inputs: Inputs, attrs: Attributes, context: KernelContext, useFast = true): TensorData {
  // x: (N, C, H, W), W: (M, C/group, kH, kW) sparse, bias: (M)
  const x = requireInput(inputs, 0, context, 'X');
  requireFloat32(x, context, 'X');
  const weight = readSparseWeight(inputs, attrs, context);
  if (x.shape.length !== 4 || weight.shape.length !== 4) throw shapeError(context, 'SparseConv is 2-D: X must be (N, C, H, W) and weight_shape 4 dims', [x.shape, weight.shape]);
  const setup = convSetup(x.shape, weight.shape, attrs, context);
  const bias = biasOf(inputs, x, weight.rows, context);
  const out = tensorData('float32', setup.outputShape);
  const problem = { x: x.data as Float32Array, weight, bias, setup };
  const y = out.data as Float32Array;
  if (!useFast || !wasmSparseConv(problem, y)) sparseConvReference(problem, y);
  return out;
}

export const SPARSE_KERNELS: readonly KernelDefinition[] = [
  { op: 'SparseGemm', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: (inputs, attrs, context) => [sparseGemm(inputs, attrs, context)] },
  { op: 'SparseConv', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: (inputs, attrs, context) => [sparseConv(inputs, attrs, context)] },
];

