// Linear algebra, convolution, pooling, normalization, resize and training-gradient kernels.
import type { KernelDefinition } from '../kernel-registry.js';

export const NN_KERNELS: readonly KernelDefinition[] = [];
