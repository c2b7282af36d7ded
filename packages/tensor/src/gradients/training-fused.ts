// Gradient of the fused ai.efficientdl BatchNormTraining op: one BatchNormTrainingGrad kernel
// gives dX, dScale and dB. Gradients arriving at the batch_mean / batch_var outputs (rare: nn
// reads them only under noGrad) are added with tensor ops:
// ∂mean/∂x = 1/M, ∂var/∂x = 2 (x − mean) / M, M = elements per channel.
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import { runOp } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, scalar, zerosLike } from './helpers.js';

/** A (C) tensor viewed as (1, C, 1, …) for broadcasting against x of rank `rank`. */
function channelView(values: Tensor, rank: number): Tensor {
  return F.reshape(values, [1, values.shape[0] as number, ...new Array<number>(rank - 2).fill(1)]);
}

export const batchNormTrainingGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const scale = inputAt(context, 1);
  const [y, mean, variance] = context.outputs as [Tensor, Tensor, Tensor];
  const [gradientY, gradientMean, gradientVariance] = context.outputGrads;
  const epsilon = Number(context.attrs.epsilon ?? 1e-5);
  const [dx, dScale, dBias] = runOp('BatchNormTrainingGrad', [gradientY ?? zerosLike(y), x, scale, mean, variance], { epsilon }, {
    domain: EFFICIENTDL_DOMAIN,
    outputCount: 3,
  }) as [Tensor, Tensor, Tensor];
  let inputGradient = dx;
  const count = x.size / (x.shape[1] as number);
  if (gradientMean) inputGradient = F.add(inputGradient, F.div(channelView(gradientMean, x.rank), scalar(count, x)));
  if (gradientVariance) {
    const centered = F.sub(x, channelView(mean, x.rank));
    const factor = F.div(channelView(gradientVariance, x.rank), scalar(count / 2, x));
    inputGradient = F.add(inputGradient, F.mul(centered, factor));
  }
  return [inputGradient, dScale, dBias];
};
