// Elementwise, comparison, cast, reduction, shape-manipulation, quantization and misc kernels.
import type { KernelDefinition } from '../kernel-registry.js';

export const BASIC_KERNELS: readonly KernelDefinition[] = [];
