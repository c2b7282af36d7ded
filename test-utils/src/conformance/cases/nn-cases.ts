// Conformance cases for MatMul/Gemm, Conv/ConvTranspose, pooling, normalization, Resize and
// the ai.efficientdl training ops (case families in ./nn/).
import type { OpCase } from '../op-case.js';
import { CONV_CASES, LINEAR_CASES } from './nn/linear-conv-cases.js';
import { NORMALIZATION_CASES, POOL_CASES } from './nn/pool-norm-cases.js';
import { RESIZE_CASES, TRAINING_CASES } from './nn/resize-training-cases.js';

export const NN_CASES: readonly OpCase[] = [
  ...LINEAR_CASES,
  ...CONV_CASES,
  ...POOL_CASES,
  ...NORMALIZATION_CASES,
  ...RESIZE_CASES,
  ...TRAINING_CASES,
];
