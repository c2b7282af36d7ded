// Gradients of ONNX shape-manipulation ops: Reshape, Flatten, Squeeze, Unsqueeze (reshape the
// gradient back), Transpose (inverse permutation), Expand (unbroadcast), Concat (Split the
// gradient) and Split (Concat the output gradients, zeros for unused outputs).
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, positiveAxis, unbroadcast, zerosLike } from './helpers.js';

/** Reshapes the output gradient to the shape of input 0 (Reshape, Flatten, Squeeze, Unsqueeze). */
export const reshapeLikeInputGradient: GradientFunction = (context) => [
  F.reshape(outputGradient(context), inputAt(context, 0).shape),
];

export const transposeGradient: GradientFunction = (context) => {
  const rank = inputAt(context, 0).rank;
  const perm = (context.attrs.perm as readonly number[] | undefined) ?? Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
  const inverse = new Array<number>(rank);
  perm.forEach((source, target) => {
    inverse[source] = target;
  });
  return [F.transpose(outputGradient(context), inverse)];
};

export const expandGradient: GradientFunction = (context) => [unbroadcast(outputGradient(context), inputAt(context, 0).shape)];

// inputs: (..., size_i at axis, ...) → y concatenated along axis
export const concatGradient: GradientFunction = (context) => {
  const inputs = context.inputs as readonly Tensor[];
  const axis = positiveAxis(Number(context.attrs.axis), (inputs[0] as Tensor).rank);
  const sizes = inputs.map((input) => input.shape[axis] as number);
  const gradient = outputGradient(context);
  if (inputs.length === 1) return [gradient];
  return F.split(gradient, sizes, axis);
};

export const splitGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const axis = positiveAxis(Number(context.attrs.axis ?? 0), x.rank);
  const pieces = context.outputs.map((output, index) => context.outputGrads[index] ?? zerosLike(output));
  return [pieces.length === 1 ? (pieces[0] as Tensor) : F.concat(pieces, axis), undefined];
};
