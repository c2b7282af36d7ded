// Gradients of the broadcasting binary ops (ONNX Add, Sub, Mul, Div, Pow) and Where.
// Each input gradient is summed back over broadcast axes (unbroadcast).
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, maskOf, outputGradient, scalar, unbroadcast } from './helpers.js';

const isFloat = (dtype: string) => dtype === 'float32' || dtype === 'float64' || dtype === 'float16';

// Inputs that do not require grad (constants, data) get no gradient: no Neg/ReduceSum for them.
export const addGradient: GradientFunction = (context) => {
  const [a, b] = [inputAt(context, 0), inputAt(context, 1)];
  const gradient = outputGradient(context);
  return [a.requiresGrad ? unbroadcast(gradient, a.shape) : undefined, b.requiresGrad ? unbroadcast(gradient, b.shape) : undefined];
};

export const subGradient: GradientFunction = (context) => {
  const [a, b] = [inputAt(context, 0), inputAt(context, 1)];
  const gradient = outputGradient(context);
  return [a.requiresGrad ? unbroadcast(gradient, a.shape) : undefined, b.requiresGrad ? unbroadcast(F.neg(gradient), b.shape) : undefined];
};

export const mulGradient: GradientFunction = (context) => {
  const [a, b] = [inputAt(context, 0), inputAt(context, 1)];
  const gradient = outputGradient(context);
  return [
    a.requiresGrad ? unbroadcast(F.mul(gradient, b), a.shape) : undefined,
    b.requiresGrad ? unbroadcast(F.mul(gradient, a), b.shape) : undefined,
  ];
};

// y = a / b: dA = dY / b, dB = -dY * y / b
export const divGradient: GradientFunction = (context) => {
  const [a, b] = [inputAt(context, 0), inputAt(context, 1)];
  const gradient = outputGradient(context);
  const gradientOverB = F.div(gradient, b);
  return [
    a.requiresGrad ? unbroadcast(gradientOverB, a.shape) : undefined,
    b.requiresGrad ? unbroadcast(F.neg(F.mul(gradientOverB, context.outputs[0] as Tensor)), b.shape) : undefined,
  ];
};

// y = a ^ b: dA = dY * b * a^(b-1); dB = dY * y * ln(a) (taken as 0 where a <= 0)
export const powGradient: GradientFunction = (context) => {
  const [base, exponent] = [inputAt(context, 0), inputAt(context, 1)];
  const output = context.outputs[0] as Tensor;
  const gradient = outputGradient(context);
  const floatExponent = exponent.dtype === base.dtype ? exponent : F.cast(exponent, base.dtype);
  let baseGradient: Tensor | undefined;
  if (base.requiresGrad) {
    const power = F.pow(base, F.sub(floatExponent, scalar(1, floatExponent)));
    baseGradient = unbroadcast(F.mul(gradient, F.mul(floatExponent, power)), base.shape);
  }
  let exponentGradient: Tensor | undefined;
  if (exponent.requiresGrad && isFloat(exponent.dtype)) {
    const positive = F.greater(base, 0);
    const safeBase = F.where(positive, base, F.scalarLike(1, base));
    const logBase = F.mul(F.log(safeBase), maskOf(positive, base));
    const full = F.mul(gradient, F.mul(output, logBase));
    exponentGradient = unbroadcast(full.dtype === exponent.dtype ? full : F.cast(full, exponent.dtype), exponent.shape);
  }
  return [baseGradient, exponentGradient];
};

// y = where(condition, x, z): gradient flows to x where condition holds, to z elsewhere.
export const whereGradient: GradientFunction = (context) => {
  const [condition, x, z] = [inputAt(context, 0), inputAt(context, 1), inputAt(context, 2)];
  const gradient = outputGradient(context);
  const zero = scalar(0, gradient);
  return [
    undefined,
    x.requiresGrad ? unbroadcast(F.where(condition, gradient, zero), x.shape) : undefined,
    z.requiresGrad ? unbroadcast(F.where(condition, zero, gradient), z.shape) : undefined,
  ];
};
