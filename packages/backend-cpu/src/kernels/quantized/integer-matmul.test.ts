// MatMulInteger: the per-tensor fast path (int8 GEMM) against the readable per-axis loop, fed
// the same zero point replicated per row / column, on shapes large enough for WebAssembly.
import { type TensorData, fromNumbers, getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../cpu-backend.js';

const backend = createCpuBackend();
const attrs = resolveAttributes(getOpSchema('MatMulInteger'), {});
const run = (inputs: (TensorData | undefined)[]) => backend.run({ op: 'MatMulInteger', domain: '', name: 'mm', attrs }, inputs, 1)[0] as TensorData;

describe('MatMulInteger per-tensor path', () => {
  for (const [dtype, low, high, aZero, bZero] of [
    ['uint8', 0, 256, 131, 7],
    ['int8', -128, 128, -3, 5],
  ] as const) {
    it(`matches the per-axis loop for ${dtype} with batch broadcasting`, () => {
      const [batch, m, k, n] = [2, 37, 70, 29];
      const a = randomTensorData([batch, m, k], { seed: 11, dtype, low, high }); // a: (2, 37, 70)
      const b = randomTensorData([k, n], { seed: 12, dtype, low, high }); // b: (70, 29)
      const fast = run([a, b, fromNumbers(dtype, [], [aZero]), fromNumbers(dtype, [], [bZero])]);
      const perAxis = run([a, b, fromNumbers(dtype, [m], new Array(m).fill(aZero)), fromNumbers(dtype, [n], new Array(n).fill(bZero))]);
      expect(fast.shape).toEqual([batch, m, n]);
      expect(Array.from(fast.data as Int32Array)).toEqual(Array.from(perAxis.data as Int32Array));
    });
  }
});
