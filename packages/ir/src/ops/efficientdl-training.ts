// Schemas of the ai.efficientdl training ops (gradient kernels used by autograd): ConvGradInput,
// ConvGradWeight, MaxPoolGrad, AveragePoolGrad.
import type { OpSchema } from '../op-schema.js';

export const TRAINING_OPS: readonly OpSchema[] = [];
