// @efficientdl/tensor — eager tensors with autograd, seeded RNG, the engine, trace → Graph,
// safetensors checkpoints.
export { Tensor } from './tensor.js';
export { runOp, runUnary, setBackend, getBackend, setRecorder, type OpRecorder, type RunOptions } from './engine.js';
export { noGrad, isGradEnabled, setGradEnabled, type GradNode } from './grad-mode.js';
export { backward } from './autograd.js';
export { GRADIENTS } from './gradients/index.js';
export type { GradientContext, GradientFunction } from './gradients/gradient-types.js';
export { Generator, getDefaultGenerator, rand, randn, type RandomOptions } from './random.js';
export * from './functional.js';
export * as F from './functional.js';
export { trace, type Traceable, type TraceTarget, type TraceOptions } from './trace.js';
export { runGraph, type RunGraphOptions } from './run-graph.js';
export {
  serializeSafetensors,
  parseSafetensors,
  MAX_SAFETENSORS_HEADER_BYTES,
  type SafetensorsContents,
  type ParseSafetensorsOptions,
} from './safetensors.js';
export { readSafetensors, writeSafetensors } from './safetensors-file.js';
