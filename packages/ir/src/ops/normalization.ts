// Normalization and softmax schemas: BatchNormalization (training_mode with running-stat
// outputs), LayerNormalization (Mean / InvStdDev outputs in stash_type), GroupNormalization
// (opset 21: per-channel scale/bias), InstanceNormalization, Softmax, LogSoftmax.
// reference: https://onnx.ai/onnx/operators/onnx__BatchNormalization.html (and siblings)
import { type DType, dtypeFromOnnx, isFloatDType } from '../dtype.js';
import type { InferenceContext, OpSchema, ValueInfo } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import {
  FLOAT_TYPES,
  axisOf,
  dtypeError,
  input,
  intAttr,
  requireOutputCount,
  sameDType,
  shapeError,
} from './infer-helpers.js';

/** Checks that inputs `indices` are 1-D of length `channels` (when both are static). */
function requireChannelVectors(context: InferenceContext, indices: readonly number[], channels: Dim): void {
  for (const index of indices) {
    const info = context.inputs[index];
    if (!info) continue;
    const length = info.shape[0] as Dim;
    const bad = info.shape.length !== 1 || (typeof length === 'number' && typeof channels === 'number' && length !== channels);
    if (bad) shapeError(context, `input ${index} ${formatShape(info.shape)} must be 1-D of length C=${channels}`);
  }
}

function channelShape(context: InferenceContext, minimumRank: number): readonly Dim[] {
  const x = input(context, 0).shape;
  if (x.length < minimumRank) shapeError(context, `X must be (N, C, ...) with rank >= ${minimumRank}, got ${formatShape(x)}`);
  return x;
}

const BatchNormalization: OpSchema = {
  name: 'BatchNormalization',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: FLOAT_TYPES },
    { name: 'scale', dtypes: FLOAT_TYPES },
    { name: 'B', dtypes: FLOAT_TYPES },
    { name: 'input_mean', dtypes: FLOAT_TYPES },
    { name: 'input_var', dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }, { name: 'running_mean', optional: true }, { name: 'running_var', optional: true }],
  attrs: {
    epsilon: { type: 'float', default: 1e-5 },
    momentum: { type: 'float', default: 0.9 },
    training_mode: { type: 'int', default: 0 },
  },
  differentiable: true,
  infer(context) {
    // X: (N, C, D1..Dn); scale, B, mean, var: (C)
    const x = channelShape(context, 2);
    const training = intAttr(context, 'training_mode') !== 0;
    requireOutputCount(context, training ? 3 : 1);
    sameDType(context, [1, 2]);
    sameDType(context, [3, 4]);
    requireChannelVectors(context, [1, 2, 3, 4], x[1] as Dim);
    const outputs: ValueInfo[] = [{ dtype: input(context, 0).dtype, shape: [...x] }];
    const statsType = input(context, 3).dtype;
    for (let index = 1; index < context.outputCount; index++) outputs.push({ dtype: statsType, shape: [x[1] as Dim] });
    return outputs;
  },
};

function stashType(context: InferenceContext): DType {
  const code = intAttr(context, 'stash_type', 1);
  let dtype: DType | undefined;
  try {
    dtype = dtypeFromOnnx(code);
  } catch {
    dtype = undefined;
  }
  if (!dtype || !isFloatDType(dtype)) dtypeError(context, `stash_type ${code} is not a float ONNX data type`);
  return dtype;
}

const LayerNormalization: OpSchema = {
  name: 'LayerNormalization',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: FLOAT_TYPES },
    { name: 'Scale', dtypes: FLOAT_TYPES },
    { name: 'B', optional: true, dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }, { name: 'Mean', optional: true }, { name: 'InvStdDev', optional: true }],
  attrs: {
    axis: { type: 'int', default: -1 },
    epsilon: { type: 'float', default: 1e-5 },
    stash_type: { type: 'int', default: 1 },
  },
  differentiable: true,
  infer(context) {
    requireOutputCount(context, 3);
    const dtype = sameDType(context, [0, 1, 2]);
    const x = input(context, 0).shape;
    const axis = axisOf(context, intAttr(context, 'axis', -1), x.length);
    const normalized = x.slice(axis);
    for (const index of [1, 2]) {
      const info = context.inputs[index];
      if (!info) continue;
      const offset = normalized.length - info.shape.length;
      const bad =
        offset < 0 ||
        info.shape.some((dim, position) => {
          const target = normalized[position + offset] as Dim;
          return typeof dim === 'number' && dim !== 1 && typeof target === 'number' && dim !== target;
        });
      if (bad) shapeError(context, `input ${index} ${formatShape(info.shape)} does not match normalized dims ${formatShape(normalized)}`);
    }
    const outputs: ValueInfo[] = [{ dtype, shape: [...x] }];
    const statsShape: Dim[] = [...x.slice(0, axis), ...normalized.map(() => 1)];
    const statsDType = stashType(context);
    for (let index = 1; index < context.outputCount; index++) outputs.push({ dtype: statsDType, shape: [...statsShape] });
    return outputs;
  },
};

const GroupNormalization: OpSchema = {
  name: 'GroupNormalization',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: FLOAT_TYPES },
    { name: 'scale', dtypes: FLOAT_TYPES },
    { name: 'bias', dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {
    epsilon: { type: 'float', default: 1e-5 },
    num_groups: { type: 'int', required: true },
    stash_type: { type: 'int', default: 1 },
  },
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    const x = channelShape(context, 2);
    const groups = intAttr(context, 'num_groups');
    const channels = x[1] as Dim;
    if (groups < 1 || (typeof channels === 'number' && channels % groups !== 0)) {
      shapeError(context, `channels ${channels} of X ${formatShape(x)} are not divisible by num_groups ${groups}`);
    }
    requireChannelVectors(context, [1, 2], channels);
    return [{ dtype, shape: [...x] }];
  },
};

const InstanceNormalization: OpSchema = {
  name: 'InstanceNormalization',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'input', dtypes: FLOAT_TYPES },
    { name: 'scale', dtypes: FLOAT_TYPES },
    { name: 'B', dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'output' }],
  attrs: { epsilon: { type: 'float', default: 1e-5 } },
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    const x = channelShape(context, 3);
    requireChannelVectors(context, [1, 2], x[1] as Dim);
    return [{ dtype, shape: [...x] }];
  },
};

function softmaxLike(name: string): OpSchema {
  return {
    name,
    domain: ONNX_DOMAIN,
    inputs: [{ name: 'input', dtypes: FLOAT_TYPES }],
    outputs: [{ name: 'output' }],
    attrs: { axis: { type: 'int', default: -1 } },
    differentiable: true,
    infer(context) {
      const x = input(context, 0);
      axisOf(context, intAttr(context, 'axis', -1), Math.max(1, x.shape.length));
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
  };
}

export const NORMALIZATION_OPS: readonly OpSchema[] = [
  BatchNormalization,
  LayerNormalization,
  GroupNormalization,
  InstanceNormalization,
  softmaxLike('Softmax'),
  softmaxLike('LogSoftmax'),
];
