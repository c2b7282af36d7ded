// The type of one gradient-table entry.
import type { Attributes } from '@efficientdl/ir';
import type { Tensor } from '../tensor.js';

export interface GradientContext {
  readonly inputs: readonly (Tensor | undefined)[];
  readonly outputs: readonly Tensor[];
  /** Resolved attributes of the forward op. */
  readonly attrs: Attributes;
  /** d(loss)/d(output) per output; undefined where an output did not reach the loss. */
  readonly outputGrads: readonly (Tensor | undefined)[];
}

/** Returns d(loss)/d(input) per input position (undefined for non-differentiable inputs). */
export type GradientFunction = (context: GradientContext) => (Tensor | undefined)[];
