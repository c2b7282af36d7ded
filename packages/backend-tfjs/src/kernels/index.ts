// Every tfjs kernel, listed explicitly (no import side effects).
import type { TfjsKernelDefinition } from '../kernel-types.js';
import { ARITHMETIC_KERNELS } from './arithmetic.js';
import { CONVOLUTION_KERNELS } from './convolution.js';
import { LINEAR_KERNELS } from './linear.js';
import { LOGIC_KERNELS } from './logic.js';
import { NORMALIZATION_KERNELS } from './normalization.js';
import { POOLING_KERNELS } from './pooling.js';
import { REDUCTION_KERNELS } from './reduction.js';
import { RESIZE_KERNELS } from './resize.js';
import { SHAPE_KERNELS } from './shape.js';
import { SLICING_KERNELS } from './slicing.js';
import { UNARY_KERNELS } from './unary.js';

export const ALL_TFJS_KERNELS: readonly TfjsKernelDefinition[] = [
  ...ARITHMETIC_KERNELS,
  ...UNARY_KERNELS,
  ...LOGIC_KERNELS,
  ...LINEAR_KERNELS,
  ...CONVOLUTION_KERNELS,
  ...POOLING_KERNELS,
  ...NORMALIZATION_KERNELS,
  ...REDUCTION_KERNELS,
  ...SHAPE_KERNELS,
  ...SLICING_KERNELS,
  ...RESIZE_KERNELS,
];
