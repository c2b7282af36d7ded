// Shared input checks of the MatMulNBits kernels: the block layout from the attributes, and the
// operands validated against it (A (..., K) float32; B uint8 (N, k_blocks, blob_size); scales
// float32 (N·k_blocks); zero points uint8 packed per row; bias (N)).
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits
import { type Attributes, type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { checkDType, requireInput, shapeError } from '../elementwise/kernel-support.js';

export interface NBitsOperands {
  K: number;
  N: number;
  bits: number;
  blockSize: number;
  blocks: number;
  blobSize: number;
  zeroPointBytes: number;
  /** Rows of A: product of all dims but the last. */
  rows: number;
  outputShape: number[];
  a: Float32Array;
  b: Uint8Array;
  scales: Float32Array;
  zeroPoints?: Uint8Array;
  bias?: Float32Array;
}

function expectLength(tensor: TensorData | undefined, length: number, what: string, context: KernelContext): void {
  if (tensor && shapeSize(tensor.shape) !== length) {
    throw shapeError(context, `${what} ${formatShape(tensor.shape)} must hold ${length} values`);
  }
}

/** Reads and validates the operands of a MatMulNBits node. */
export function nbitsOperands(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): NBitsOperands {
  const [K, N, bits, blockSize] = [attrs.K, attrs.N, attrs.bits, attrs.block_size] as number[];
  const a = requireInput(inputs, 0, context);
  const b = requireInput(inputs, 1, context);
  const scales = requireInput(inputs, 2, context);
  const [zeroPoints, groupIndex, bias] = [inputs[3], inputs[4], inputs[5]];
  checkDType(a, ['float32'], context, 'A');
  checkDType(b, ['uint8'], context, 'B');
  checkDType(scales, ['float32'], context, 'scales');
  if (![2, 4, 8].includes(bits as number) || ((blockSize as number) * (bits as number)) % 8 !== 0) {
    throw shapeError(context, `bits ${bits} / block_size ${blockSize} are not supported (bits 2, 4, 8; whole-byte blocks)`);
  }
  if (groupIndex) throw shapeError(context, 'g_idx (act-order) is not supported');
  if (a.shape[a.shape.length - 1] !== K) throw shapeError(context, `A ${formatShape(a.shape)} must end in K = ${K}`);
  const blocks = Math.ceil((K as number) / (blockSize as number));
  const blobSize = ((blockSize as number) * (bits as number)) / 8;
  const zeroPointBytes = Math.ceil((blocks * (bits as number)) / 8);
  expectLength(b, (N as number) * blocks * blobSize, 'B', context);
  expectLength(scales, (N as number) * blocks, 'scales', context);
  expectLength(zeroPoints, (N as number) * zeroPointBytes, 'zero_points', context);
  expectLength(bias, N as number, 'bias', context);
  return {
    K: K as number,
    N: N as number,
    bits: bits as number,
    blockSize: blockSize as number,
    blocks,
    blobSize,
    zeroPointBytes,
    rows: shapeSize(a.shape) / (K as number),
    outputShape: [...a.shape.slice(0, -1), N as number],
    a: a.data as Float32Array,
    b: b.data as Uint8Array,
    scales: scales.data as Float32Array,
    zeroPoints: zeroPoints?.data as Uint8Array | undefined,
    bias: bias?.data as Float32Array | undefined,
  };
}

/** The packed `bits`-bit code at position `index` of a byte stream (low bits first). */
export function codeAt(bytes: Uint8Array, index: number, bits: number): number {
  const bit = index * bits;
  return ((bytes[bit >> 3] as number) >> (bit & 7)) & ((1 << bits) - 1);
}

/** Zero point of (row n, block): packed per row, default 2^(bits − 1). */
export function zeroPointAt(operands: NBitsOperands, n: number, block: number): number {
  const { zeroPoints, zeroPointBytes, bits } = operands;
  if (!zeroPoints) return 1 << (bits - 1);
  return codeAt(zeroPoints.subarray(n * zeroPointBytes, (n + 1) * zeroPointBytes), block, bits);
}
