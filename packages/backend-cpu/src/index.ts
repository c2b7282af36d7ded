// @efficientdl/backend-cpu — reference TS kernels for every IR op, plus blocked GEMM and
// im2col convolution for training speed.
export { CpuBackend, createCpuBackend, type CpuBackendOptions } from './cpu-backend.js';
export { CpuCompiledGraph } from './fast/compile/compiled-graph.js';
export { REFERENCE_KERNELS } from './reference-kernels.js';
export { configureWasmKernels, wasmKernelInfo, type WasmKernelInfo, type WasmKernelOptions } from './wasm/wasm-runtime.js';
export { int8Gemm, type Int8GemmOptions } from './wasm/int8-gemm.js';
export { defineKernel, kernelKey, type Kernel, type KernelContext, type KernelDefinition } from './kernel-registry.js';
export { ALL_KERNELS } from './kernels/index.js';
