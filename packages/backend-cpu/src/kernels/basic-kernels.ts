// Elementwise, comparison, cast, reduction, shape-manipulation, quantization and misc kernels,
// listed explicitly (each file exports its definitions; no import side effects).
import type { KernelDefinition } from '../kernel-registry.js';
import { BINARY_ARITHMETIC_KERNELS } from './elementwise/binary-arithmetic.js';
import { CAST_KERNELS } from './elementwise/cast.js';
import { CLIP_KERNELS } from './elementwise/clip.js';
import { COMPARISON_KERNELS } from './elementwise/comparison.js';
import { CONSTANT_KERNELS } from './elementwise/constant.js';
import { IDENTITY_KERNELS } from './elementwise/identity.js';
import { UNARY_MATH_KERNELS } from './elementwise/unary-math.js';
import { GATHER_ND_KERNELS } from './indexing/gather-nd.js';
import { SCATTER_ND_KERNELS } from './indexing/scatter-nd.js';
import { CONSTANT_OF_SHAPE_KERNELS } from './misc/constant-of-shape.js';
import { VARIADIC_ELEMENTWISE_KERNELS } from './misc/variadic-elementwise.js';
import { DYNAMIC_QUANTIZE_KERNELS } from './quantized/dynamic-quantize-linear.js';
import { QUANTIZE_LINEAR_KERNELS } from './quantization/quantize-linear.js';
import { ARG_MAX_KERNELS } from './reduction/arg-max.js';
import { CUM_SUM_KERNELS } from './reduction/cum-sum.js';
import { REDUCE_KERNELS } from './reduction/reduce.js';
import { SOFTMAX_KERNELS } from './reduction/softmax.js';
import { TOP_K_KERNELS } from './reduction/top-k.js';
import { CONCAT_SPLIT_KERNELS } from './shape/concat-split.js';
import { EXPAND_KERNELS } from './shape/expand.js';
import { GATHER_KERNELS } from './shape/gather.js';
import { PAD_KERNELS } from './shape/pad.js';
import { RESHAPE_KERNELS } from './shape/reshape.js';
import { SHAPE_OF_KERNELS } from './shape/shape-of.js';
import { SLICE_KERNELS } from './shape/slice.js';
import { TRANSPOSE_KERNELS } from './shape/transpose.js';

export const BASIC_KERNELS: readonly KernelDefinition[] = [
  ...BINARY_ARITHMETIC_KERNELS,
  ...UNARY_MATH_KERNELS,
  ...CLIP_KERNELS,
  ...COMPARISON_KERNELS,
  ...CAST_KERNELS,
  ...IDENTITY_KERNELS,
  ...CONSTANT_KERNELS,
  ...SHAPE_OF_KERNELS,
  ...RESHAPE_KERNELS,
  ...TRANSPOSE_KERNELS,
  ...CONCAT_SPLIT_KERNELS,
  ...SLICE_KERNELS,
  ...GATHER_KERNELS,
  ...EXPAND_KERNELS,
  ...PAD_KERNELS,
  ...REDUCE_KERNELS,
  ...SOFTMAX_KERNELS,
  ...ARG_MAX_KERNELS,
  ...CUM_SUM_KERNELS,
  ...TOP_K_KERNELS,
  ...QUANTIZE_LINEAR_KERNELS,
  ...DYNAMIC_QUANTIZE_KERNELS,
  ...GATHER_ND_KERNELS,
  ...SCATTER_ND_KERNELS,
  ...CONSTANT_OF_SHAPE_KERNELS,
  ...VARIADIC_ELEMENTWISE_KERNELS,
];
