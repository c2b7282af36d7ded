// The `cpu-ref` engine: backend-cpu with its fast float paths switched off, so MatMul, Gemm, Conv
// and ConvTranspose run on the readable reference loops (the oracles of the fast kernels); every
// other op is backend-cpu's ordinary kernel.
//
// backend-cpu has no public switch for this yet, so this file reaches into its sources for the
// kernels' `useFast` parameter (bundled into bench/dist by tsup). It is the only file that does;
// once backend-cpu offers `createCpuBackend({ fast: false })` (or exports reference kernels),
// replace the body of createCpuReferenceBackend with that call.
import { type CpuBackend, createCpuBackend } from '@efficientdl/backend-cpu';
import { conv } from '../../packages/backend-cpu/src/kernels/convolution/conv.js';
import { convTranspose } from '../../packages/backend-cpu/src/kernels/convolution/conv-transpose.js';
import { gemm } from '../../packages/backend-cpu/src/kernels/linear/gemm.js';
import { matmul } from '../../packages/backend-cpu/src/kernels/linear/matmul.js';
import { requireInput } from '../../packages/backend-cpu/src/kernels/linear/kernel-helpers.js';

export function createCpuReferenceBackend(): CpuBackend {
  const backend = createCpuBackend();
  const replace = (op: string, kernel: NonNullable<ReturnType<CpuBackend['findKernel']>>['kernel']) => {
    const existing = backend.findKernel(op);
    if (existing) backend.registerKernel({ ...existing, kernel });
  };
  replace('MatMul', (inputs, _attrs, context) => [matmul(requireInput(inputs, 0, context, 'A'), requireInput(inputs, 1, context, 'B'), context, false)]);
  replace('Gemm', (inputs, attrs, context) => [gemm(inputs, attrs, context, false)]);
  replace('Conv', (inputs, attrs, context) => [conv(inputs, attrs, context, false)]);
  replace('ConvTranspose', (inputs, attrs, context) => [convTranspose(inputs, attrs, context, false)]);
  return backend;
}
