// @efficientdl/test-utils (private, source only).
export * from './expect-close.js';
export * from './shared-data.js';
export * from './random-tensors.js';
export type { OpCase } from './conformance/op-case.js';
export { runCase, executeCase, type CaseResult } from './conformance/run-case.js';
export { runConformance, casesFor } from './conformance/suite.js';
export { ALL_CASES } from './conformance/cases/index.js';
export * from './gradcheck.js';
export { BASIC_CASES } from './conformance/cases/basic-cases.js';
export { NN_CASES } from './conformance/cases/nn-cases.js';
export * from './onnx-node-test.js';
