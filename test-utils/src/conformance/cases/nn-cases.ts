// Conformance cases for MatMul/Gemm, Conv/ConvTranspose, pooling, normalization, Resize and
// the ai.efficientdl training ops.
import type { OpCase } from '../op-case.js';

export const NN_CASES: readonly OpCase[] = [];
