// ai.efficientdl MatMulNBits: weight-only quantized matrix product, following ONNX Runtime's
// com.microsoft MatMulNBits contrib op. Y = A · dequant(B)ᵀ (+ bias), where B holds the weight
// (N, K) quantized in blocks of `block_size` along K:
//   B: uint8 (N, k_blocks, blob_size), k_blocks = ceil(K / block_size),
//      blob_size = block_size · bits / 8; codes packed low bits first, the last block zero-padded
//   scales: float (N · k_blocks) — or (N, k_blocks)
//   zero_points (optional): uint8 (N · ceil(k_blocks · bits / 8)), packed like B per row;
//      absent → 2^(bits − 1) (e.g. 8 for 4 bits)
//   g_idx (optional, ONNX Runtime's deprecated act-order input): not supported here
//   bias (optional): float (N)
//   weight[n, k] = (code[n, k] − zero_point[n, k / block_size]) · scale[n, k / block_size]
// onnxruntime requires block_size to be a power of two ≥ 16; this schema accepts any block_size
// whose blocks fill whole bytes (block_size · bits divisible by 8).
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits
import type { DType } from '../dtype.js';
import { EFFICIENTDL_DOMAIN, type InferenceContext, type OpSchema } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { input, intAttr, shapeError } from './infer-helpers.js';

const FLOAT_TYPES: readonly DType[] = ['float32'];

export interface NBitsLayout {
  K: number;
  N: number;
  bits: number;
  blockSize: number;
  blocks: number;
  blobSize: number;
  /** Bytes of zero points per row of N. */
  zeroPointBytes: number;
}

/** The block layout implied by MatMulNBits attributes (throws a message on invalid values). */
export function nbitsLayout(attrs: { K: number; N: number; bits: number; blockSize: number }): NBitsLayout | string {
  const { K, N, bits, blockSize } = attrs;
  if (!(K >= 1 && N >= 1)) return `K (${K}) and N (${N}) must be ≥ 1`;
  if (![2, 4, 8].includes(bits)) return `bits must be 2, 4 or 8, got ${bits}`;
  if (!(blockSize >= 1) || (blockSize * bits) % 8 !== 0) return `block_size ${blockSize} must be ≥ 1 with block_size · bits a multiple of 8`;
  const blocks = Math.ceil(K / blockSize);
  return { K, N, bits, blockSize, blocks, blobSize: (blockSize * bits) / 8, zeroPointBytes: Math.ceil((blocks * bits) / 8) };
}

function checkShape(context: InferenceContext, index: number, expected: readonly number[], what: string): void {
  const shape = input(context, index).shape;
  const matches = shape.length === expected.length && shape.every((dim, axis) => typeof dim !== 'number' || dim === expected[axis]);
  if (!matches) shapeError(context, `${what} must be ${formatShape(expected)}, got ${formatShape(shape)}`);
}

function layoutOf(context: InferenceContext): NBitsLayout {
  const layout = nbitsLayout({
    K: intAttr(context, 'K'),
    N: intAttr(context, 'N'),
    bits: intAttr(context, 'bits'),
    blockSize: intAttr(context, 'block_size'),
  });
  if (typeof layout === 'string') shapeError(context, layout);
  return layout;
}

const MatMulNBits: OpSchema = {
  name: 'MatMulNBits',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'A', dtypes: FLOAT_TYPES },
    { name: 'B', dtypes: ['uint8'] },
    { name: 'scales', dtypes: FLOAT_TYPES },
    { name: 'zero_points', optional: true, dtypes: ['uint8'] },
    { name: 'g_idx', optional: true, dtypes: ['int32'] },
    { name: 'bias', optional: true, dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {
    K: { type: 'int', required: true },
    N: { type: 'int', required: true },
    bits: { type: 'int', default: 4 },
    block_size: { type: 'int', required: true },
    accuracy_level: { type: 'int', default: 0 },
  },
  differentiable: false,
  infer(context) {
    const layout = layoutOf(context);
    const a = input(context, 0).shape;
    const last = a[a.length - 1];
    if (a.length < 1 || (typeof last === 'number' && last !== layout.K)) {
      shapeError(context, `A ${formatShape(a)} must end in K = ${layout.K}`);
    }
    checkShape(context, 1, [layout.N, layout.blocks, layout.blobSize], 'B');
    const scales = input(context, 2).shape;
    if (scales.length === 2) checkShape(context, 2, [layout.N, layout.blocks], 'scales');
    else checkShape(context, 2, [layout.N * layout.blocks], 'scales');
    if (context.inputs[3]) checkShape(context, 3, [layout.N * layout.zeroPointBytes], 'zero_points');
    if (context.inputs[4]) shapeError(context, 'g_idx (act-order) is not supported');
    if (context.inputs[5]) checkShape(context, 5, [layout.N], 'bias');
    const shape: Dim[] = [...a.slice(0, -1), layout.N];
    return [{ dtype: input(context, 0).dtype, shape }];
  },
};

export const WEIGHT_ONLY_OPS: readonly OpSchema[] = [MatMulNBits];
