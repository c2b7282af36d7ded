// Gradients of elementwise unary ops (ONNX Neg, Abs, Exp, Log, Sqrt, Reciprocal, Erf, Sigmoid,
// Tanh, Relu, LeakyRelu, Gelu, HardSwish, Clip, Identity, Dropout, Cast). Derivatives are the
// textbook ones; Gelu follows ONNX's two forms (approximate = 'none' | 'tanh').
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import { getBackend, runUnary } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, maskOf, outputGradient, scalar, unbroadcast } from './helpers.js';

const output = (context: Parameters<GradientFunction>[0]) => context.outputs[0] as Tensor;

export const negGradient: GradientFunction = (context) => [F.neg(outputGradient(context))];

// d|x| = sign(x); 0 at x = 0.
export const absGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const sign = F.sub(maskOf(F.greater(x, 0), x), maskOf(F.less(x, 0), x));
  return [F.mul(outputGradient(context), sign)];
};

export const expGradient: GradientFunction = (context) => [F.mul(outputGradient(context), output(context))];

export const logGradient: GradientFunction = (context) => [F.div(outputGradient(context), inputAt(context, 0))];

// y = sqrt(x): dx = dy / (2 y)
export const sqrtGradient: GradientFunction = (context) => {
  const y = output(context);
  return [F.div(outputGradient(context), F.mul(y, scalar(2, y)))];
};

// y = 1/x: dx = -dy * y^2
export const reciprocalGradient: GradientFunction = (context) => {
  const y = output(context);
  return [F.neg(F.mul(outputGradient(context), F.mul(y, y)))];
};

// erf'(x) = 2/sqrt(pi) * exp(-x^2)
export const erfGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const derivative = F.mul(F.exp(F.neg(F.mul(x, x))), scalar(2 / Math.sqrt(Math.PI), x));
  return [F.mul(outputGradient(context), derivative)];
};

// sigmoid' = y (1 - y)
export const sigmoidGradient: GradientFunction = (context) => {
  const y = output(context);
  return [F.mul(outputGradient(context), F.mul(y, F.sub(scalar(1, y), y)))];
};

// tanh' = 1 - y^2
export const tanhGradient: GradientFunction = (context) => {
  const y = output(context);
  return [F.mul(outputGradient(context), F.sub(scalar(1, y), F.mul(y, y)))];
};

// float32: one fused ai.efficientdl ReluGrad pass where the backend has it; else Where(X > 0, dY, 0).
export const reluGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const gradient = outputGradient(context);
  if (x.dtype === 'float32' && gradient.dtype === 'float32' && getBackend().supports('ReluGrad', ['float32', 'float32'], EFFICIENTDL_DOMAIN)) {
    return [runUnary('ReluGrad', [gradient, x], {}, { domain: EFFICIENTDL_DOMAIN })];
  }
  return [F.where(F.greater(x, 0), gradient, scalar(0, gradient))];
};

// f(x) = x for x >= 0, alpha x otherwise.
export const leakyReluGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const gradient = outputGradient(context);
  const alpha = Number(context.attrs.alpha ?? 0.01);
  return [F.where(F.less(x, 0), F.mul(gradient, scalar(alpha, gradient)), gradient)];
};

export const geluGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const derivative = context.attrs.approximate === 'tanh' ? geluTanhDerivative(x) : geluErfDerivative(x);
  return [F.mul(outputGradient(context), derivative)];
};

// gelu(x) = x Φ(x): gelu' = Φ(x) + x φ(x), Φ(x) = (1 + erf(x/√2))/2, φ(x) = exp(-x²/2)/√(2π)
function geluErfDerivative(x: Tensor): Tensor {
  const cdf = F.mul(F.add(F.erf(F.mul(x, scalar(Math.SQRT1_2, x))), scalar(1, x)), scalar(0.5, x));
  const density = F.mul(F.exp(F.mul(F.mul(x, x), scalar(-0.5, x))), scalar(1 / Math.sqrt(2 * Math.PI), x));
  return F.add(cdf, F.mul(x, density));
}

// gelu(x) = x/2 (1 + tanh u), u = √(2/π)(x + 0.044715 x³):
// gelu' = (1 + tanh u)/2 + x/2 (1 - tanh² u) √(2/π)(1 + 3·0.044715 x²)
function geluTanhDerivative(x: Tensor): Tensor {
  const root = Math.sqrt(2 / Math.PI);
  const squared = F.mul(x, x);
  const inner = F.mul(F.mul(x, F.add(F.mul(squared, scalar(0.044715, x)), scalar(1, x))), scalar(root, x));
  const hyperbolic = F.tanh(inner);
  const innerDerivative = F.mul(F.add(F.mul(squared, scalar(3 * 0.044715, x)), scalar(1, x)), scalar(root, x));
  const secantSquared = F.sub(scalar(1, x), F.mul(hyperbolic, hyperbolic));
  const left = F.mul(F.add(hyperbolic, scalar(1, x)), scalar(0.5, x));
  const right = F.mul(F.mul(F.mul(x, scalar(0.5, x)), secantSquared), innerDerivative);
  return F.add(left, right);
}

// HardSwish(x) = x · clamp(x/6 + 1/2, 0, 1): derivative 0 below -3, 1 above 3, x/3 + 1/2 between.
export const hardSwishGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const middle = F.add(F.mul(x, scalar(1 / 3, x)), scalar(0.5, x));
  const upper = F.where(F.greater(x, 3), scalar(1, x), middle);
  const derivative = F.where(F.less(x, -3), scalar(0, x), upper);
  return [F.mul(outputGradient(context), derivative)];
};

// Clip(x, min, max): gradient passes where min <= x <= max; the clipped parts go to min/max.
export const clipGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const [minimum, maximum] = [context.inputs[1], context.inputs[2]];
  const gradient = outputGradient(context);
  const zero = scalar(0, gradient);
  const below = minimum ? F.less(x, minimum) : undefined;
  const above = maximum ? F.greater(x, maximum) : undefined;
  let passed = gradient;
  if (below) passed = F.where(below, zero, passed);
  if (above) passed = F.where(above, zero, passed);
  return [
    passed,
    minimum?.requiresGrad && below ? unbroadcast(F.where(below, gradient, zero), minimum.shape) : undefined,
    maximum?.requiresGrad && above ? unbroadcast(F.where(above, gradient, zero), maximum.shape) : undefined,
  ];
};

export const identityGradient: GradientFunction = (context) => [outputGradient(context)];

// Dropout: identity in inference; in training the kept elements are scaled by 1/(1 - ratio).
// The mask output is used when it was produced, else kept elements are read off y != 0.
export const dropoutGradient: GradientFunction = (context) => {
  const gradient = outputGradient(context);
  const training = context.inputs[2];
  const ratio = context.inputs[1];
  if (!training || !training.toArray()[0]) return [gradient];
  const rate = ratio ? ratio.toArray()[0] ?? 0.5 : 0.5;
  const mask = (context.outputs[1] as Tensor | undefined) ?? F.not(F.equal(output(context), 0));
  const scaled = F.mul(gradient, scalar(1 / (1 - rate), gradient));
  return [F.mul(scaled, maskOf(mask, gradient))];
};

// Cast between float dtypes: cast the gradient back.
export const castGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const gradient = outputGradient(context);
  const floating = x.dtype === 'float32' || x.dtype === 'float64' || x.dtype === 'float16';
  if (!floating) return [undefined];
  return [gradient.dtype === x.dtype ? gradient : F.cast(gradient, x.dtype)];
};
