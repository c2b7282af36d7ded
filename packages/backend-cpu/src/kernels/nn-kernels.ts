// Linear algebra, convolution, pooling, normalization, resize and training-gradient kernels.
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import type { KernelDefinition } from '../kernel-registry.js';
import { convKernel } from './convolution/conv.js';
import { convTransposeKernel } from './convolution/conv-transpose.js';
import { EINSUM_KERNELS } from './indexing/einsum.js';
import { LRN_KERNELS } from './misc/lrn.js';
import { NON_MAX_SUPPRESSION_KERNELS } from './misc/non-max-suppression.js';
import { INTEGER_CONV_KERNELS } from './quantized/integer-conv.js';
import { INTEGER_MATMUL_KERNELS } from './quantized/integer-matmul.js';
import { gemmKernel } from './linear/gemm.js';
import { matmulKernel } from './linear/matmul.js';
import { averagePoolKernel } from './pooling/average-pool.js';
import { globalAveragePoolKernel } from './pooling/global-average-pool.js';
import { maxPoolKernel } from './pooling/max-pool.js';
import { batchNormalizationKernel } from './normalization/batch-normalization.js';
import { groupNormalizationKernel } from './normalization/group-normalization.js';
import { instanceNormalizationKernel } from './normalization/instance-normalization.js';
import { layerNormalizationKernel } from './normalization/layer-normalization.js';
import { resizeKernel } from './resize/resize.js';
import { averagePoolGradKernel } from './training/average-pool-grad.js';
import { convGradInputKernel } from './training/conv-grad-input.js';
import { convGradWeightKernel } from './training/conv-grad-weight.js';
import { maxPoolGradKernel } from './training/max-pool-grad.js';
import { batchNormTrainingGradKernel, batchNormTrainingKernel } from './training/batch-norm-training.js';
import { reluGradKernel } from './training/relu-grad.js';

const FLOATS = ['float32', 'float64'] as const;
const LINEAR = ['float32', 'float64', 'int32', 'int64'] as const;

export const NN_KERNELS: readonly KernelDefinition[] = [
  { op: 'MatMul', dtypes: LINEAR, kernel: matmulKernel },
  { op: 'Gemm', dtypes: LINEAR, kernel: gemmKernel },
  { op: 'Conv', dtypes: FLOATS, kernel: convKernel },
  { op: 'MaxPool', dtypes: ['float32', 'float64', 'int8', 'uint8'], kernel: maxPoolKernel },
  { op: 'AveragePool', dtypes: FLOATS, kernel: averagePoolKernel },
  { op: 'GlobalAveragePool', dtypes: FLOATS, kernel: globalAveragePoolKernel },
  { op: 'ConvTranspose', dtypes: FLOATS, kernel: convTransposeKernel },
  { op: 'BatchNormalization', dtypes: FLOATS, kernel: batchNormalizationKernel },
  { op: 'LayerNormalization', dtypes: FLOATS, kernel: layerNormalizationKernel },
  { op: 'GroupNormalization', dtypes: FLOATS, kernel: groupNormalizationKernel },
  { op: 'InstanceNormalization', dtypes: FLOATS, kernel: instanceNormalizationKernel },
  { op: 'Resize', dtypes: FLOATS, kernel: resizeKernel },
  { op: 'ConvGradInput', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: convGradInputKernel },
  { op: 'ConvGradWeight', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: convGradWeightKernel },
  { op: 'MaxPoolGrad', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: maxPoolGradKernel },
  { op: 'AveragePoolGrad', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: averagePoolGradKernel },
  { op: 'ReluGrad', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: reluGradKernel },
  { op: 'BatchNormTraining', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: batchNormTrainingKernel },
  { op: 'BatchNormTrainingGrad', domain: EFFICIENTDL_DOMAIN, dtypes: ['float32'], kernel: batchNormTrainingGradKernel },
  ...INTEGER_MATMUL_KERNELS,
  ...INTEGER_CONV_KERNELS,
  ...EINSUM_KERNELS,
  ...LRN_KERNELS,
  ...NON_MAX_SUPPRESSION_KERNELS,
];
