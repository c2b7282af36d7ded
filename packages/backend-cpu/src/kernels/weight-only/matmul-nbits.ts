// MatMulNBits, dequantize-on-the-fly kernel: for each output column n, one row of W (K floats)
// is dequantized block by block straight from the packed bytes (4-bit: two codes per byte, low
// nibble first), then dotted with every row of A. Memory stays O(K) instead of O(N·K).
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits
import { EFFICIENTDL_DOMAIN, type TensorData, tensorData } from '@efficientdl/ir';
import type { Kernel, KernelDefinition } from '../../kernel-registry.js';
import { type NBitsOperands, codeAt, nbitsOperands, zeroPointAt } from './nbits-layout.js';
import { matmulNBitsReferenceKernel } from './matmul-nbits-reference.js';

/** Writes row n of W into `row` (length K). */
function dequantizeRow(operands: NBitsOperands, n: number, row: Float32Array): void {
  const { K, blockSize, blocks, blobSize, bits, b, scales } = operands;
  for (let block = 0; block < blocks; block++) {
    const scale = scales[n * blocks + block] as number;
    const zeroPoint = zeroPointAt(operands, n, block);
    const start = block * blockSize;
    const end = Math.min(start + blockSize, K);
    const byteOffset = (n * blocks + block) * blobSize;
    if (bits === 4) {
      for (let k = start, byte = byteOffset; k < end; k += 2, byte++) {
        const packed = b[byte] as number;
        row[k] = ((packed & 0x0f) - zeroPoint) * scale;
        if (k + 1 < end) row[k + 1] = ((packed >> 4) - zeroPoint) * scale;
      }
    } else if (bits === 8) {
      for (let k = start; k < end; k++) row[k] = ((b[byteOffset + k - start] as number) - zeroPoint) * scale;
    } else {
      const blob = b.subarray(byteOffset, byteOffset + blobSize);
      for (let k = start; k < end; k++) row[k] = (codeAt(blob, k - start, bits) - zeroPoint) * scale;
    }
  }
}

export const matmulNBitsKernel: Kernel = (inputs, attrs, context): TensorData[] => {
  const operands = nbitsOperands(inputs, attrs, context);
  const { K, N, rows, a, bias } = operands;
  // A: (rows, K) → Y: (rows, N)
  const out = new Float32Array(rows * N);
  const row = new Float32Array(K);
  for (let n = 0; n < N; n++) {
    dequantizeRow(operands, n, row);
    const offset = bias ? (bias[n] as number) : 0;
    for (let m = 0; m < rows; m++) {
      const base = m * K;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (a[base + k] as number) * (row[k] as number);
      out[m * N + n] = sum + offset;
    }
  }
  return [tensorData('float32', operands.outputShape, out)];
};

export const WEIGHT_ONLY_KERNELS: readonly KernelDefinition[] = [
  { op: 'MatMulNBits', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: matmulNBitsKernel },
];

export { matmulNBitsReferenceKernel };
