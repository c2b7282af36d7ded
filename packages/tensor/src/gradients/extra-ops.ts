// Gradients of the variadic broadcasting ops Sum, Mean, Max and Min (ONNX). Sum / Mean pass dY
// (scaled by 1/n for Mean) to every input; Max / Min route dY to the inputs equal to the result,
// shared equally among ties. Each input gradient is summed back over its broadcast axes.
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, maskOf, outputGradient, scalar, unbroadcast } from './helpers.js';

function presentInputs(context: Parameters<GradientFunction>[0]): Tensor[] {
  return context.inputs.map((_, index) => inputAt(context, index));
}

export const sumGradient: GradientFunction = (context) => {
  const gradient = outputGradient(context);
  return presentInputs(context).map((input) => (input.requiresGrad ? unbroadcast(gradient, input.shape) : undefined));
};

export const meanGradient: GradientFunction = (context) => {
  const inputs = presentInputs(context);
  const gradient = outputGradient(context);
  const share = F.div(gradient, scalar(inputs.length, gradient));
  return inputs.map((input) => (input.requiresGrad ? unbroadcast(share, input.shape) : undefined));
};

// y = max(x_0, …) (or min): dx_i = dY · [x_i == y] / #{j : x_j == y}
export const variadicExtremumGradient: GradientFunction = (context) => {
  const inputs = presentInputs(context);
  const y = context.outputs[0] as Tensor;
  const gradient = outputGradient(context);
  // masks are broadcast to y's shape by the comparison with y
  const masks = inputs.map((input) => maskOf(F.equal(input, y), y));
  const ties = masks.slice(1).reduce((count, mask) => F.add(count, mask), masks[0] as Tensor);
  const share = F.div(gradient, ties);
  return inputs.map((input, index) => (input.requiresGrad ? unbroadcast(F.mul(share, masks[index] as Tensor), input.shape) : undefined));
};
