// @efficientdl/backend-cpu — reference TS kernels for every IR op, plus blocked GEMM and
// im2col convolution for training speed.
export { CpuBackend, createCpuBackend } from './cpu-backend.js';
export { defineKernel, kernelKey, type Kernel, type KernelContext, type KernelDefinition } from './kernel-registry.js';
export { ALL_KERNELS } from './kernels/index.js';
