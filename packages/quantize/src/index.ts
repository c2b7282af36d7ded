// @efficientdl/quantize: public API (named exports only).
export * from './primitives/index.js';
export * from './observers/index.js';
export * from './ptq/index.js';
export * from './lowering/index.js';
export * from './kmeans/index.js';
export * from './qat/index.js';
export * from './weight-only/index.js';
export * from './mixed-precision/index.js';
