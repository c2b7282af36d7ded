// @efficientdl/backend-onnxruntime — IR graphs and ops on onnxruntime-node (CPU): compile() runs
// whole graphs exported to ONNX; run() executes single ops synchronously through a worker thread.
export { OnnxruntimeBackend, createOnnxruntimeBackend } from './onnxruntime-backend.js';
export type { OnnxruntimeBackendOptions, GraphOptimizationLevel } from './session-options.js';
export { ORT_CPU_SUPPORT, type OpSupport } from './supported-ops.js';
export { ORT_DTYPES, toOrtTensor, fromOrtTensor } from './tensor-conversion.js';
export { translateOrtError, type OrtFailure } from './ort-errors.js';
