// MatMulNBits reference kernel: dequantizes the whole weight W (N, K) element by element, then
// computes Y[m, n] = Σ_k A[m, k] · W[n, k] (+ bias[n]) with a plain triple loop. The readable
// oracle of the dequantize-on-the-fly kernel.
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits
import { type TensorData, tensorData } from '@efficientdl/ir';
import type { Kernel } from '../../kernel-registry.js';
import { type NBitsOperands, codeAt, nbitsOperands, zeroPointAt } from './nbits-layout.js';

/** W (N, K) as float32: (code − zero_point) · scale per block. */
export function dequantizeNBits(operands: NBitsOperands): Float32Array {
  const { K, N, blockSize, blocks, blobSize, bits, b, scales } = operands;
  const weight = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const block = Math.floor(k / blockSize);
      const blob = b.subarray((n * blocks + block) * blobSize, (n * blocks + block + 1) * blobSize);
      const code = codeAt(blob, k - block * blockSize, bits);
      weight[n * K + k] = (code - zeroPointAt(operands, n, block)) * (scales[n * blocks + block] as number);
    }
  }
  return weight;
}

export const matmulNBitsReferenceKernel: Kernel = (inputs, attrs, context): TensorData[] => {
  const operands = nbitsOperands(inputs, attrs, context);
  const { K, N, rows, a, bias } = operands;
  const weight = dequantizeNBits(operands);
  // A: (rows, K), W: (N, K) → Y: (rows, N)
  const out = new Float32Array(rows * N);
  for (let m = 0; m < rows; m++) {
    for (let n = 0; n < N; n++) {
      let sum = bias ? (bias[n] as number) : 0;
      for (let k = 0; k < K; k++) sum += (a[m * K + k] as number) * (weight[n * K + k] as number);
      out[m * N + n] = sum;
    }
  }
  return [tensorData('float32', operands.outputShape, out)];
};
