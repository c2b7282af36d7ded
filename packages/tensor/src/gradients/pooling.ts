// Gradients of ONNX MaxPool, AveragePool (through the ai.efficientdl training ops
// MaxPoolGrad(X, dY) and AveragePoolGrad(dY) with the forward attributes) and GlobalAveragePool.
import { type Attributes, EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import { runUnary } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { resolveConvWindow } from './convolution-padding.js';
import type { GradientContext, GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, product } from './helpers.js';

const training = { domain: EFFICIENTDL_DOMAIN };

/** The pooling window with auto_pad resolved into explicit pads (the gradient ops take no auto_pad). */
function explicitPoolAttrs(context: GradientContext, x: Tensor): Attributes {
  const kernel = (context.attrs.kernel_shape as readonly number[]).map(Number);
  const window = resolveConvWindow(context.attrs, x.shape.slice(2), kernel);
  return { ...window, kernel_shape: kernel, ceil_mode: Number(context.attrs.ceil_mode ?? 0) };
}

// x: (N, C, ...spatial), y: (N, C, ...pooled); the Indices output carries no gradient.
export const maxPoolGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  return [runUnary('MaxPoolGrad', [x, outputGradient(context)], explicitPoolAttrs(context, x), training)];
};

export const averagePoolGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const attrs = {
    ...explicitPoolAttrs(context, x),
    count_include_pad: Number(context.attrs.count_include_pad ?? 0),
    input_shape: [...x.shape],
  };
  return [runUnary('AveragePoolGrad', [outputGradient(context)], attrs, training)];
};

// x: (N, C, ...spatial), y: (N, C, 1, ..., 1): dx = dy / |spatial| broadcast over spatial.
export const globalAveragePoolGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const gradient = outputGradient(context);
  const expanded = F.expand(gradient, x.shape);
  return [F.div(expanded, F.scalarLike(product(x.shape, 2), expanded))];
};
