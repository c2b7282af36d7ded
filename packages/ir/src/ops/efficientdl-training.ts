// Schemas of the ai.efficientdl training ops (gradient kernels used by autograd): ConvGradInput,
// ConvGradWeight, MaxPoolGrad, AveragePoolGrad, ReluGrad, and the fused batch normalization pair
// BatchNormTraining (differentiable) / BatchNormTrainingGrad. Attributes mirror ONNX Conv / MaxPool /
// AveragePool with EXPLICIT pads (no auto_pad); the output shape comes from an attribute
// (input_shape / weight_shape) or from X. Not differentiable themselves.
import type { DType } from '../dtype.js';
import { EFFICIENTDL_DOMAIN, type AttrSpec, type InferenceContext, type OpSchema, type ValueInfo } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { input, intsAttr, sameDType, shapeError } from './infer-helpers.js';

const GRADIENT_TYPES: readonly DType[] = ['float32'];

const WINDOW_ATTRS: Readonly<Record<string, AttrSpec>> = {
  strides: { type: 'ints', default: [] },
  pads: { type: 'ints', default: [] },
  dilations: { type: 'ints', default: [] },
};

const CONV_ATTRS: Readonly<Record<string, AttrSpec>> = {
  ...WINDOW_ATTRS,
  group: { type: 'int', default: 1 },
  kernel_shape: { type: 'ints', default: [] },
};

const POOL_ATTRS: Readonly<Record<string, AttrSpec>> = {
  ...WINDOW_ATTRS,
  kernel_shape: { type: 'ints', required: true },
  ceil_mode: { type: 'int', default: 0 },
};

/** The shape attribute `name` as the output shape; its rank must equal input `like`'s rank. */
function shapeFromAttribute(context: InferenceContext, name: string, like: number): ValueInfo {
  const dtype = sameDType(context, context.inputs.map((_, index) => index));
  const shape = intsAttr(context, name);
  const reference = input(context, like).shape;
  if (shape.length !== reference.length || shape.length < 3 || shape.some((dim) => !Number.isInteger(dim) || dim < 0)) {
    shapeError(context, `attribute ${name} ${formatShape(shape)} must be a rank-${reference.length} (>= 3) shape like ${formatShape(reference)}`);
  }
  return { dtype, shape };
}

const ConvGradInput: OpSchema = {
  name: 'ConvGradInput',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'dY', dtypes: GRADIENT_TYPES },
    { name: 'W', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'dX' }],
  attrs: { ...CONV_ATTRS, input_shape: { type: 'ints', required: true } },
  differentiable: false,
  doc: 'Gradient of Conv with respect to X: dY (N, M, O1, …), W (M, C/group, k1, …) → dX with shape input_shape.',
  infer: (context) => [shapeFromAttribute(context, 'input_shape', 0)],
};

const ConvGradWeight: OpSchema = {
  name: 'ConvGradWeight',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'X', dtypes: GRADIENT_TYPES },
    { name: 'dY', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'dW' }],
  attrs: { ...CONV_ATTRS, weight_shape: { type: 'ints', required: true } },
  differentiable: false,
  doc: 'Gradient of Conv with respect to W: X (N, C, D1, …), dY (N, M, O1, …) → dW with shape weight_shape.',
  infer: (context) => [shapeFromAttribute(context, 'weight_shape', 0)],
};

const MaxPoolGrad: OpSchema = {
  name: 'MaxPoolGrad',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'X', dtypes: GRADIENT_TYPES },
    { name: 'dY', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'dX' }],
  attrs: POOL_ATTRS,
  differentiable: false,
  doc: "Gradient of MaxPool: each dY element is routed to the first maximum of its window in X (PyTorch's rule).",
  infer(context) {
    const dtype = sameDType(context, [0, 1]);
    const x = input(context, 0).shape;
    if (x.length < 3 || input(context, 1).shape.length !== x.length) shapeError(context, 'X and dY must be (N, C, D1, …) of one rank');
    return [{ dtype, shape: [...x] }];
  },
};

const AveragePoolGrad: OpSchema = {
  name: 'AveragePoolGrad',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [{ name: 'dY', dtypes: GRADIENT_TYPES }],
  outputs: [{ name: 'dX' }],
  attrs: { ...POOL_ATTRS, count_include_pad: { type: 'int', default: 0 }, input_shape: { type: 'ints', required: true } },
  differentiable: false,
  doc: 'Gradient of AveragePool: each dY element is spread evenly over its window (divisor as in the forward op).',
  infer: (context) => [shapeFromAttribute(context, 'input_shape', 0)],
};

const ReluGrad: OpSchema = {
  name: 'ReluGrad',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'dY', dtypes: GRADIENT_TYPES },
    { name: 'X', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'dX' }],
  attrs: {},
  differentiable: false,
  doc: 'Gradient of Relu in one pass: dX = dY where X > 0, else 0 (the same as Where(Greater(X, 0), dY, 0)).',
  infer(context) {
    const dtype = sameDType(context, [0, 1]);
    const dy = input(context, 0).shape;
    const x = input(context, 1).shape;
    if (dy.length !== x.length || dy.some((dim, axis) => typeof dim === 'number' && typeof x[axis] === 'number' && dim !== x[axis])) {
      shapeError(context, `dY ${formatShape(dy)} and X ${formatShape(x)} must have one shape`);
    }
    return [{ dtype, shape: [...x] }];
  },
};

/** Checks X is (N, C, D1, …) and inputs `channelInputs` are (C); returns X's shape and C. */
function channelShapes(context: InferenceContext, xIndex: number, channelInputs: readonly number[]): { x: Dim[]; channels: Dim } {
  const x = [...input(context, xIndex).shape];
  if (x.length < 2) shapeError(context, `X must be (N, C, …), got ${formatShape(x)}`);
  const channels = x[1] as Dim;
  for (const index of channelInputs) {
    const shape = input(context, index).shape;
    const dim = shape[0];
    if (shape.length !== 1 || (typeof dim === 'number' && typeof channels === 'number' && dim !== channels)) {
      shapeError(context, `input ${index} must be (C) = (${channels}), got ${formatShape(shape)}`);
    }
  }
  return { x, channels };
}

const BatchNormTraining: OpSchema = {
  name: 'BatchNormTraining',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'X', dtypes: GRADIENT_TYPES },
    { name: 'scale', dtypes: GRADIENT_TYPES },
    { name: 'B', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'Y' }, { name: 'batch_mean' }, { name: 'batch_var' }],
  attrs: { epsilon: { type: 'float', default: 1e-5 } },
  differentiable: true,
  doc:
    'Batch normalization with batch statistics over every axis but 1: mean and biased variance per channel, ' +
    'Y = (X − mean) / √(var + epsilon) · scale + B. Outputs Y, batch_mean (C) and batch_var (C, biased).',
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    const { x, channels } = channelShapes(context, 0, [1, 2]);
    return [{ dtype, shape: x }, { dtype, shape: [channels] }, { dtype, shape: [channels] }];
  },
};

const BatchNormTrainingGrad: OpSchema = {
  name: 'BatchNormTrainingGrad',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [
    { name: 'dY', dtypes: GRADIENT_TYPES },
    { name: 'X', dtypes: GRADIENT_TYPES },
    { name: 'scale', dtypes: GRADIENT_TYPES },
    { name: 'batch_mean', dtypes: GRADIENT_TYPES },
    { name: 'batch_var', dtypes: GRADIENT_TYPES },
  ],
  outputs: [{ name: 'dX' }, { name: 'dScale' }, { name: 'dB' }],
  attrs: { epsilon: { type: 'float', default: 1e-5 } },
  differentiable: false,
  doc:
    'Gradient of BatchNormTraining: with x̂ = (X − mean)/√(var + ε) and M elements per channel, dB = Σ dY, ' +
    'dScale = Σ dY·x̂, dX = scale/√(var + ε) · (dY − dB/M − x̂·dScale/M).',
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2, 3, 4]);
    const { x, channels } = channelShapes(context, 1, [2, 3, 4]);
    const dy = input(context, 0).shape;
    if (dy.length !== x.length || dy.some((dim, axis) => typeof dim === 'number' && typeof x[axis] === 'number' && dim !== x[axis])) {
      shapeError(context, `dY ${formatShape(dy)} and X ${formatShape(x)} must have one shape`);
    }
    return [{ dtype, shape: x }, { dtype, shape: [channels] }, { dtype, shape: [channels] }];
  },
};

export const TRAINING_OPS: readonly OpSchema[] = [
  ConvGradInput,
  ConvGradWeight,
  MaxPoolGrad,
  AveragePoolGrad,
  ReluGrad,
  BatchNormTraining,
  BatchNormTrainingGrad,
];
