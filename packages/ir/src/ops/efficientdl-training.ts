// Schemas of the ai.efficientdl training ops (gradient kernels used by autograd): ConvGradInput,
// ConvGradWeight, MaxPoolGrad, AveragePoolGrad. Attributes mirror ONNX Conv / MaxPool /
// AveragePool with EXPLICIT pads (no auto_pad); the output shape comes from an attribute
// (input_shape / weight_shape) or from X. Not differentiable themselves.
import type { DType } from '../dtype.js';
import { EFFICIENTDL_DOMAIN, type AttrSpec, type InferenceContext, type OpSchema, type ValueInfo } from '../op-schema.js';
import { formatShape } from '../shape.js';
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

export const TRAINING_OPS: readonly OpSchema[] = [ConvGradInput, ConvGradWeight, MaxPoolGrad, AveragePoolGrad];
