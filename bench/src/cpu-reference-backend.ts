// The `cpu-ref` engine: backend-cpu with its fast float paths switched off, so MatMul, Gemm, Conv
// and ConvTranspose run on the readable reference loops (the oracles of the fast kernels); every
// other op is backend-cpu's ordinary kernel.
import { type CpuBackend, createCpuBackend } from '@efficientdl/backend-cpu';

export function createCpuReferenceBackend(): CpuBackend {
  return createCpuBackend({ reference: true });
}
