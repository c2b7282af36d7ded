// Every built-in CPU kernel, listed explicitly (no import side effects).
import type { KernelDefinition } from '../kernel-registry.js';

export const ALL_KERNELS: readonly KernelDefinition[] = [];
