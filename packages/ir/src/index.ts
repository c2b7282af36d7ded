// @efficientdl/ir — the shared contract: dtypes, shapes, op schemas, Graph, passes, cost model,
// Backend interface, errors. No runtime dependencies.
export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
export * from './tensor-data.js';
export * from './op-schema.js';
export * from './registry.js';
export * from './graph.js';
export * from './backend.js';
export * from './graph-inference.js';
export * from './cost-model/index.js';
export * from './passes/index.js';
export { type WindowAttrs, resolvePads } from './ops/spatial-window.js';
export { type AxisSlice, sliceAxis, sliceCount } from './ops/slicing-ops.js';
export * from './ops/sparse-weight-formats.js';
