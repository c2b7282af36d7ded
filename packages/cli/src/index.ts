// @efficientdl/cli — the `efficientdl` command line as a library: main(argv, io) runs a command
// in-process; the building blocks (engines by backend name, .npy files, node-test layout,
// output comparison) are exported for scripts and tests.
export { main, reportError, CLI_VERSION, type MainOptions } from './main.js';
export { type CliIo, type CapturedIo, captureIo, processIo } from './io.js';
export {
  BACKEND_NAMES,
  type BackendName,
  type ExecutionEngine,
  type GraphRunner,
  type CreateEngineOptions,
  createEngine,
  eagerEngine,
  isBackendName,
} from './backends.js';
export { createOnnxruntimeEngine, type OnnxruntimeLoader, type OnnxruntimeModule } from './onnxruntime-adapter.js';
export { parseNpy, serializeNpy } from './npy.js';
export { readTensorFile, writeTensorFile, type TensorFile, type TensorFileFormat } from './tensor-files.js';
export { compareTensors, ONNX_TOLERANCE, type Tolerance } from './compare.js';
export { listModelFolders, listDatasetFolders, readDataset, type Dataset } from './node-test-layout.js';
export { runConformanceCase, type CaseOutcome } from './conformance-case.js';
export { UsageError } from './usage-error.js';
