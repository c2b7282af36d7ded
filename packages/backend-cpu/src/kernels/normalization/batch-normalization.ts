// BatchNormalization: inference uses input_mean/input_var; training_mode=1 normalizes with the
// batch statistics (population variance over N and spatial dims) and also returns
// running_mean = input_mean·momentum + mean·(1 − momentum) (running_var likewise).
// reference: https://onnx.ai/onnx/operators/onnx__BatchNormalization.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, intAttribute, requireInput, shapeError } from '../linear/kernel-helpers.js';

function channelStatistics(x: ArrayLike<number>, batch: number, channels: number, spatial: number) {
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const count = batch * spatial;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) for (let index = (n * channels + c) * spatial, end = index + spatial; index < end; index++) sum += x[index] as number;
    const channelMean = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      for (let index = (n * channels + c) * spatial, end = index + spatial; index < end; index++) {
        const centered = (x[index] as number) - channelMean;
        squares += centered * centered;
      }
    }
    mean[c] = channelMean;
    variance[c] = squares / count;
  }
  return { mean, variance };
}

export function batchNormalizationKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …); scale, bias, input_mean, input_var: (C)
  const x = requireInput(inputs, 0, context, 'X');
  const names = ['scale', 'B', 'input_mean', 'input_var'];
  const parameters = names.map((name, index) => floatData(requireInput(inputs, index + 1, context, name), context, name));
  const [scale, bias, inputMean, inputVariance] = parameters as [Float64Array, Float64Array, Float64Array, Float64Array];
  const xData = floatData(x, context, 'X');
  if (x.shape.length < 2) throw shapeError(context, 'X must be (N, C, …)', [x.shape]);
  const [batch, channels] = x.shape as [number, number];
  const spatial = x.shape.slice(2).reduce((product, dim) => product * dim, 1);
  if (parameters.some((parameter) => parameter.length !== channels)) {
    throw shapeError(context, `scale, B, input_mean and input_var must all be (${channels})`, [x.shape, ...names.map((_, index) => (inputs[index + 1] as TensorData).shape)]);
  }
  const epsilon = floatAttribute(attrs, 'epsilon', 1e-5);
  const training = intAttribute(attrs, 'training_mode', 0) !== 0;
  const statistics = training ? channelStatistics(xData, batch, channels, spatial) : { mean: inputMean, variance: inputVariance };
  const { tensor: y, data: yData } = createFloatTensor(x.dtype, x.shape);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const factor = (scale[c] as number) / Math.sqrt((statistics.variance[c] as number) + epsilon);
      const shift = (bias[c] as number) - (statistics.mean[c] as number) * factor;
      for (let index = (n * channels + c) * spatial, end = index + spatial; index < end; index++) yData[index] = (xData[index] as number) * factor + shift;
    }
  }
  if (!training || context.outputCount < 2) return [y];
  const momentum = floatAttribute(attrs, 'momentum', 0.9);
  const runningMean = createFloatTensor((inputs[3] as TensorData).dtype, [channels]);
  const runningVariance = createFloatTensor((inputs[4] as TensorData).dtype, [channels]);
  for (let c = 0; c < channels; c++) {
    runningMean.data[c] = (inputMean[c] as number) * momentum + (statistics.mean[c] as number) * (1 - momentum);
    runningVariance.data[c] = (inputVariance[c] as number) * momentum + (statistics.variance[c] as number) * (1 - momentum);
  }
  return [y, runningMean.tensor, runningVariance.tensor].slice(0, context.outputCount);
}
