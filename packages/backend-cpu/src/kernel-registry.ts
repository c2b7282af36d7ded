// Kernel definitions of the CPU backend: one per (domain, op). Kernel files export their
// definitions (no import side effects); kernels/index.ts lists them all in ALL_KERNELS.
import type { Attributes, DType, TensorData } from '@efficientdl/ir';

export interface KernelContext {
  readonly op: string;
  readonly node: string;
  readonly outputCount: number;
}

/**
 * A kernel reads TensorData inputs (undefined = omitted optional input) and resolved attributes
 * and returns new TensorData outputs. Kernels never mutate their inputs.
 */
export type Kernel = (inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext) => TensorData[];

export interface KernelDefinition {
  readonly op: string;
  readonly domain?: string;
  /** Input dtypes (of the first input) the kernel handles; omitted = any. */
  readonly dtypes?: readonly DType[];
  readonly kernel: Kernel;
}

/** Identity helper that gives kernel files a typed way to declare a definition. */
export function defineKernel(definition: KernelDefinition): KernelDefinition {
  return definition;
}

export function kernelKey(op: string, domain = ''): string {
  return domain ? `${domain}::${op}` : op;
}
