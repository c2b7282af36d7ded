// Gradients of ONNX MatMul (numpy matmul: 1-D promotion, batch broadcasting) and Gemm
// (Y = alpha · A' B' + beta · C with A' = transA ? Aᵀ : A, B' = transB ? Bᵀ : B).
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, scalar, unbroadcast } from './helpers.js';

/** Swaps the last two axes. */
function swapLast(x: Tensor): Tensor {
  const perm = Array.from({ length: x.rank }, (_, axis) => axis);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return F.transpose(x, perm);
}

// a: (..., M, K), b: (..., K, N), y: (..., M, N); 1-D a is (1, K), 1-D b is (K, 1).
export const matMulGradient: GradientFunction = (context) => {
  const [a, b] = [inputAt(context, 0), inputAt(context, 1)];
  const a2 = a.rank === 1 ? F.reshape(a, [1, a.shape[0] as number]) : a;
  const b2 = b.rank === 1 ? F.reshape(b, [b.shape[0] as number, 1]) : b;
  let gradient = outputGradient(context);
  // Restore the axes that 1-D promotion removed from y.
  if (a.rank === 1) gradient = F.unsqueeze(gradient, [Math.max(gradient.rank - (b.rank === 1 ? 0 : 1), 0)]);
  if (b.rank === 1) gradient = F.unsqueeze(gradient, [gradient.rank]);
  const gradientA = a.requiresGrad ? unbroadcast(F.matmul(gradient, swapLast(b2)), a2.shape) : undefined;
  const gradientB = b.requiresGrad ? unbroadcast(F.matmul(swapLast(a2), gradient), b2.shape) : undefined;
  return [
    gradientA && a.rank === 1 ? F.reshape(gradientA, a.shape) : gradientA,
    gradientB && b.rank === 1 ? F.reshape(gradientB, b.shape) : gradientB,
  ];
};

// a': (M, K), b': (K, N), y: (M, N)
export const gemmGradient: GradientFunction = (context) => {
  const [a, b, c] = [inputAt(context, 0), inputAt(context, 1), context.inputs[2]];
  const alpha = Number(context.attrs.alpha ?? 1);
  const beta = Number(context.attrs.beta ?? 1);
  const transA = Number(context.attrs.transA ?? 0) !== 0;
  const transB = Number(context.attrs.transB ?? 0) !== 0;
  const gradient = outputGradient(context);
  const scaled = alpha === 1 ? gradient : F.mul(gradient, scalar(alpha, gradient));
  const aPrime = transA ? F.transpose(a, [1, 0]) : a;
  const bPrime = transB ? F.transpose(b, [1, 0]) : b;
  let gradientA: Tensor | undefined;
  if (a.requiresGrad) {
    // dA' = alpha dY B'ᵀ, and dA = (dA')ᵀ when A was transposed
    const gradientAPrime = F.matmul(scaled, F.transpose(bPrime, [1, 0]));
    gradientA = transA ? F.transpose(gradientAPrime, [1, 0]) : gradientAPrime;
  }
  let gradientB: Tensor | undefined;
  if (b.requiresGrad) {
    const gradientBPrime = F.matmul(F.transpose(aPrime, [1, 0]), scaled);
    gradientB = transB ? F.transpose(gradientBPrime, [1, 0]) : gradientBPrime;
  }
  let gradientC: Tensor | undefined;
  if (c?.requiresGrad) gradientC = unbroadcast(beta === 1 ? gradient : F.mul(gradient, scalar(beta, gradient)), c.shape);
  return [gradientA, gradientB, gradientC];
};
