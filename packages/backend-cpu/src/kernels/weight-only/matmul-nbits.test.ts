// MatMulNBits kernels against an independent oracle: codes, scales and zero points drawn at
// random, packed by a naive loop here, dequantized here, and multiplied by the CPU Gemm kernel
// (transB = 1). Odd M/N/K, K not a multiple of the block, 2/4/8 bits, with and without zero
// points and bias; the on-the-fly kernel is also checked against the reference kernel.
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@efficientdl/test-utils';
import type { KernelContext } from '../../kernel-registry.js';
import { gemmKernel } from '../linear/gemm.js';
import { matmulNBitsKernel, matmulNBitsReferenceKernel } from './matmul-nbits.js';

const context: KernelContext = { op: 'MatMulNBits', node: 'fc', outputCount: 1 };

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/** Writes `code` at position `index` of `bytes`, `bits` bits per code, low bits first. */
function put(bytes: Uint8Array, index: number, code: number, bits: number): void {
  for (let bit = 0; bit < bits; bit++) {
    const position = index * bits + bit;
    if ((code >> bit) & 1) bytes[position >> 3] = (bytes[position >> 3] as number) | (1 << (position % 8));
  }
}

interface Case {
  rows: number[];
  K: number;
  N: number;
  bits: number;
  blockSize: number;
  zeroPoints: boolean;
  bias: boolean;
}

function build(spec: Case, seed: number) {
  const next = random(seed);
  const { K, N, bits, blockSize } = spec;
  const blocks = Math.ceil(K / blockSize);
  const blob = (blockSize * bits) / 8;
  const zeroBytes = Math.ceil((blocks * bits) / 8);
  const b = new Uint8Array(N * blocks * blob);
  const zero = new Uint8Array(N * zeroBytes);
  const scales = Float32Array.from({ length: N * blocks }, () => 0.01 + next() * 0.1);
  const weight = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let block = 0; block < blocks; block++) {
      const zeroPoint = spec.zeroPoints ? Math.floor(next() * 2 ** bits) : 2 ** (bits - 1);
      if (spec.zeroPoints) put(zero, n * zeroBytes * (8 / bits) + block, zeroPoint, bits);
      for (let k = block * blockSize; k < Math.min(K, (block + 1) * blockSize); k++) {
        const code = Math.floor(next() * 2 ** bits);
        put(b, (n * blocks + block) * blob * (8 / bits) + (k - block * blockSize), code, bits);
        weight[n * K + k] = (code - zeroPoint) * (scales[n * blocks + block] as number);
      }
    }
  }
  const rowCount = spec.rows.reduce((product, dim) => product * dim, 1);
  const a = Float32Array.from({ length: rowCount * K }, () => next() * 2 - 1);
  const bias = Float32Array.from({ length: N }, () => next() - 0.5);
  const inputs: (TensorData | undefined)[] = [
    fromNumbers('float32', [...spec.rows, K], a),
    fromNumbers('uint8', [N, blocks, blob], b),
    fromNumbers('float32', [N * blocks], scales),
    spec.zeroPoints ? fromNumbers('uint8', [N * zeroBytes], zero) : undefined,
    undefined,
    spec.bias ? fromNumbers('float32', [N], bias) : undefined,
  ];
  const [expected] = gemmKernel(
    [fromNumbers('float32', [rowCount, K], a), fromNumbers('float32', [N, K], weight), spec.bias ? fromNumbers('float32', [N], bias) : undefined],
    { alpha: 1, beta: 1, transA: 0, transB: 1 },
    { op: 'Gemm', node: 'oracle', outputCount: 1 },
  );
  return { inputs, attrs: { K, N, bits, block_size: blockSize, accuracy_level: 0 }, expected: expected as TensorData };
}

const CASES: Case[] = [
  { rows: [3], K: 37, N: 5, bits: 4, blockSize: 16, zeroPoints: true, bias: true },
  { rows: [2, 3], K: 40, N: 7, bits: 4, blockSize: 32, zeroPoints: false, bias: false },
  { rows: [1], K: 9, N: 3, bits: 4, blockSize: 6, zeroPoints: true, bias: false },
  { rows: [5], K: 33, N: 4, bits: 8, blockSize: 5, zeroPoints: true, bias: true },
  { rows: [4], K: 21, N: 6, bits: 8, blockSize: 128, zeroPoints: false, bias: true },
  { rows: [3], K: 19, N: 2, bits: 2, blockSize: 8, zeroPoints: true, bias: true },
];

describe('MatMulNBits kernels', () => {
  CASES.forEach((spec, index) => {
    it(`match the dequantized Gemm: rows ${spec.rows}, K ${spec.K}, N ${spec.N}, ${spec.bits} bits, block ${spec.blockSize}`, () => {
      const { inputs, attrs, expected } = build(spec, index + 1);
      const [reference] = matmulNBitsReferenceKernel(inputs, attrs, context);
      const [fast] = matmulNBitsKernel(inputs, attrs, context);
      expect(fast?.shape).toEqual([...spec.rows, spec.N]);
      const flat = (tensor: TensorData) => tensor.data as Float32Array; // (rows…, N) vs the oracle's (rows, N)
      expectClose(flat(reference as TensorData), flat(expected), { rtol: 1e-5, atol: 1e-5 });
      expectClose(flat(fast as TensorData), flat(expected), { rtol: 1e-5, atol: 1e-5 });
      expectClose(fast as TensorData, reference as TensorData, { rtol: 1e-6, atol: 1e-6 });
    });
  });

  it('names the node when B does not match the layout', () => {
    const { inputs, attrs } = build(CASES[0] as Case, 1);
    inputs[1] = fromNumbers('uint8', [5, 3, 7], new Uint8Array(105));
    expect(() => matmulNBitsKernel(inputs, attrs, context)).toThrow(/MatMulNBits \(node 'fc'\): B \(5, 3, 7\) must hold 120 values/);
  });
});
