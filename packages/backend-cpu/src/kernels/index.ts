// Every built-in CPU kernel, listed explicitly (no import side effects).
import type { KernelDefinition } from '../kernel-registry.js';
import { BASIC_KERNELS } from './basic-kernels.js';
import { NN_KERNELS } from './nn-kernels.js';
import { SPARSE_KERNELS } from '../sparse/sparse-kernels.js';
import { WEIGHT_ONLY_KERNELS } from './weight-only/matmul-nbits.js';

export const ALL_KERNELS: readonly KernelDefinition[] = [...BASIC_KERNELS, ...NN_KERNELS, ...SPARSE_KERNELS, ...WEIGHT_ONLY_KERNELS];
