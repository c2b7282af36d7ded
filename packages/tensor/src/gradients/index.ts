// The gradient table: one entry per differentiable primitive, keyed by op name
// ('domain::Op' for non-ONNX domains).
import type { GradientFunction } from './gradient-types.js';

export const GRADIENTS: Readonly<Record<string, GradientFunction>> = {};
