// The readable reference paths of the ops that also have fast paths (MatMul, Gemm, Conv,
// ConvTranspose), as kernel definitions: `createCpuBackend({ reference: true })` swaps them in,
// so benchmarks and differential tests can run the oracle loops through the Backend interface.
import type { KernelDefinition } from './kernel-registry.js';
import { convTranspose } from './kernels/convolution/conv-transpose.js';
import { conv } from './kernels/convolution/conv.js';
import { gemm } from './kernels/linear/gemm.js';
import { requireInput } from './kernels/linear/kernel-helpers.js';
import { matmul } from './kernels/linear/matmul.js';

export const REFERENCE_KERNELS: readonly KernelDefinition[] = [
  {
    op: 'MatMul',
    kernel: (inputs, _attrs, context) => [matmul(requireInput(inputs, 0, context, 'A'), requireInput(inputs, 1, context, 'B'), context, false)],
  },
  { op: 'Gemm', kernel: (inputs, attrs, context) => [gemm(inputs, attrs, context, false)] },
  { op: 'Conv', kernel: (inputs, attrs, context) => [conv(inputs, attrs, context, false)] },
  { op: 'ConvTranspose', kernel: (inputs, attrs, context) => [convTranspose(inputs, attrs, context, false)] },
];
