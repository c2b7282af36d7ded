// Autograd state: whether gradients are recorded, and the tape node type.
import type { Attributes } from '@efficientdl/ir';
import type { Tensor } from './tensor.js';

/** One recorded differentiable op on the tape. */
export interface GradNode {
  readonly op: string;
  readonly domain: string;
  readonly attrs: Attributes;
  readonly inputs: readonly (Tensor | undefined)[];
  readonly outputs: readonly Tensor[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with gradient recording switched off (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Switches recording on or off; returns the previous state. */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}
