// @efficientdl/backend-tfjs — IR ops on TensorFlow.js (tfjs-node when installed, else WebAssembly,
// else plain JS), with ONNX semantics.
export { TfjsBackend, createTfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
export { detectTfjsBackend, type Detection, type DetectOptions, type TfjsBackendName, type TfjsLoaders, type TfjsPreference } from './detect.js';
export type { TfjsKernelDefinition, TfjsInput, TfjsOutput, KernelCall } from './kernel-types.js';
export { ALL_TFJS_KERNELS } from './kernels/index.js';
