// Every built-in op schema, listed explicitly (no import side effects), grouped by family.
import type { OpSchema } from '../op-schema.js';
import { CONVOLUTION_OPS } from './convolution.js';
import { TRAINING_OPS } from './efficientdl-training.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { INDEXING_OPS } from './indexing-ops.js';
import { LINEAR_OPS } from './linear.js';
import { MISC_OPS } from './misc-ops.js';
import { NORMALIZATION_OPS } from './normalization.js';
import { POOLING_OPS } from './pooling.js';
import { QUANTIZATION_OPS } from './quantization.js';
import { QUANTIZED_OPS } from './quantized-ops.js';
import { REDUCTION_OPS } from './reduction.js';
import { RESHAPE_OPS } from './reshape-ops.js';
import { SLICING_OPS } from './slicing-ops.js';
import { SPARSE_OPS } from './sparse-ops.js';
import { WEIGHT_ONLY_OPS } from './weight-only.js';

export const BUILTIN_OPS: readonly OpSchema[] = [
  ...ELEMENTWISE_OPS,
  ...LINEAR_OPS,
  ...CONVOLUTION_OPS,
  ...POOLING_OPS,
  ...NORMALIZATION_OPS,
  ...REDUCTION_OPS,
  ...RESHAPE_OPS,
  ...SLICING_OPS,
  ...QUANTIZATION_OPS,
  ...QUANTIZED_OPS,
  ...INDEXING_OPS,
  ...MISC_OPS,
  ...TRAINING_OPS,
  ...SPARSE_OPS,
  ...WEIGHT_ONLY_OPS,
];
