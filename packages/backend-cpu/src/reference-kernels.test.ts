// createCpuBackend({ reference: true }) runs the reference loops, which agree with the fast paths.
import { getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { REFERENCE_KERNELS } from './reference-kernels.js';

describe('reference CPU backend', () => {
  const fast = createCpuBackend();
  const reference = createCpuBackend({ reference: true });

  it('swaps in the reference kernels only for the ops with fast paths', () => {
    for (const definition of REFERENCE_KERNELS) expect(reference.findKernel(definition.op)?.kernel).toBe(definition.kernel);
    expect(reference.findKernel('Relu')?.kernel).toBe(fast.findKernel('Relu')?.kernel);
  });

  it('agrees with the fast MatMul and Conv', () => {
    const a = randomTensorData([67, 45], { seed: 1 });
    const b = randomTensorData([45, 33], { seed: 2 });
    const matmulAttrs = resolveAttributes(getOpSchema('MatMul'), {});
    const run = (backend: typeof fast, op: string, inputs: Parameters<typeof fast.run>[1], attrs = matmulAttrs) =>
      backend.run({ op, domain: '', name: op, attrs }, inputs, 1)[0];
    expectClose(run(reference, 'MatMul', [a, b])!, run(fast, 'MatMul', [a, b])!, { rtol: 1e-4, atol: 1e-5 });
    const x = randomTensorData([2, 3, 9, 9], { seed: 3 }); // x: (N, C, H, W)
    const w = randomTensorData([4, 3, 3, 3], { seed: 4 }); // w: (M, C, kH, kW)
    const convAttrs = resolveAttributes(getOpSchema('Conv'), { pads: [1, 1, 1, 1], strides: [2, 2] });
    expectClose(run(reference, 'Conv', [x, w], convAttrs)!, run(fast, 'Conv', [x, w], convAttrs)!, { rtol: 1e-4, atol: 1e-5 });
  });
});
