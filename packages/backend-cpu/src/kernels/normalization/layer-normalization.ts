// LayerNormalization: normalizes over the axes [axis, rank) with population variance, then
// Y = normalized · Scale + B (Scale, B broadcast to X.shape[axis:]). Optional outputs Mean and
// InvStdDev have shape X.shape[:axis] + [1, …] and the stash type (float32).
// reference: https://onnx.ai/onnx/operators/onnx__LayerNormalization.html
import { type Attributes, type TensorData, normalizeAxis } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, intAttribute, requireInput, requireSameDType, shapeError } from '../linear/kernel-helpers.js';
import { broadcastIndex, contiguousMoments } from './moments.js';

export function layerNormalizationKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (D0, …, D_{axis-1}, D_axis, …); scale, bias broadcastable to (D_axis, …)
  const x = requireInput(inputs, 0, context, 'X');
  const scaleTensor = requireInput(inputs, 1, context, 'Scale');
  const xData = floatData(x, context, 'X');
  requireSameDType(x, scaleTensor, context, 'Scale');
  const axis = normalizeAxis(intAttribute(attrs, 'axis', -1), x.shape.length, context.op);
  const normalizedShape = x.shape.slice(axis);
  const groupSize = normalizedShape.reduce((product, dim) => product * dim, 1);
  const groups = xData.length / Math.max(groupSize, 1);
  const scale = scaleTensor.data as Float64Array;
  const bias = inputs[2]?.data as Float64Array | undefined;
  for (const parameter of [scaleTensor, inputs[2]]) {
    if (!parameter) continue;
    const offset = normalizedShape.length - parameter.shape.length;
    if (offset < 0 || parameter.shape.some((dim, index) => dim !== 1 && dim !== normalizedShape[offset + index])) {
      throw shapeError(context, `Scale/B must broadcast to the normalized shape (${normalizedShape.join(', ')})`, [x.shape, parameter.shape]);
    }
  }
  const scaleIndex = Int32Array.from({ length: groupSize }, (_, flat) => broadcastIndex(flat, normalizedShape, scaleTensor.shape));
  const biasIndex = Int32Array.from({ length: groupSize }, (_, flat) => (inputs[2] ? broadcastIndex(flat, normalizedShape, (inputs[2] as TensorData).shape) : 0));
  const epsilon = floatAttribute(attrs, 'epsilon', 1e-5);
  const { tensor: y, data: yData } = createFloatTensor(x.dtype, x.shape);
  const statisticsShape = [...x.shape.slice(0, axis), ...normalizedShape.map(() => 1)];
  const mean = createFloatTensor('float32', statisticsShape);
  const invStdDev = createFloatTensor('float32', statisticsShape);
  for (let group = 0; group < groups; group++) {
    const start = group * groupSize;
    const moments = contiguousMoments(xData, start, groupSize);
    const inverse = 1 / Math.sqrt(moments.variance + epsilon);
    mean.data[group] = moments.mean;
    invStdDev.data[group] = inverse;
    for (let offset = 0; offset < groupSize; offset++) {
      const normalized = ((xData[start + offset] as number) - moments.mean) * inverse;
      yData[start + offset] = normalized * (scale[scaleIndex[offset] as number] as number) + (bias ? (bias[biasIndex[offset] as number] as number) : 0);
    }
  }
  return [y, mean.tensor, invStdDev.tensor].slice(0, Math.max(1, context.outputCount));
}
