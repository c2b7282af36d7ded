// All conformance cases, concatenated from one file per op family.
import type { OpCase } from '../op-case.js';
import { BASIC_CASES } from './basic-cases.js';
import { INDEXING_CASES } from './extra/indexing-cases.js';
import { MISC_CASES } from './extra/misc-cases.js';
import { QUANTIZED_CASES } from './extra/quantized-cases.js';
import { RESIZE_CUBIC_CASES } from './extra/resize-cubic-cases.js';
import { TRAINING_FUSED_CASES } from './extra/training-fused-cases.js';
import { NN_CASES } from './nn-cases.js';

/** Cases of the ops added for ONNX conformance (quantized, indexing, misc, cubic Resize) and the fused training ops. */
export const EXTRA_CASES: readonly OpCase[] = [
  ...QUANTIZED_CASES,
  ...INDEXING_CASES,
  ...MISC_CASES,
  ...RESIZE_CUBIC_CASES,
  ...TRAINING_FUSED_CASES,
];

export const ALL_CASES: readonly OpCase[] = [...BASIC_CASES, ...NN_CASES, ...EXTRA_CASES];
