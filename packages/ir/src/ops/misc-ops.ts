// Assorted ONNX ops: ConstantOfShape, LRN (cross-channel local response normalization), the
// variadic broadcasting Sum / Mean / Max / Min, and NonMaxSuppression (data-dependent output
// count: inference gives a symbolic first dim).
// reference: https://onnx.ai/onnx/operators/onnx__ConstantOfShape.html, onnx__LRN.html,
// onnx__Sum.html, onnx__Mean.html, onnx__Max.html, onnx__Min.html, onnx__NonMaxSuppression.html
import type { DType } from '../dtype.js';
import type { OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { formatShape } from '../shape.js';
import type { TensorData } from '../tensor-data.js';
import { broadcastInputs } from './elementwise.js';
import {
  FLOAT_TYPES,
  NUMERIC_TYPES,
  constantInts,
  dtypeError,
  freshDim,
  freshShape,
  input,
  intAttr,
  lengthOf1D,
  requireRank,
  sameDType,
  shapeError,
  unifyDims,
} from './infer-helpers.js';

const ConstantOfShape: OpSchema = {
  name: 'ConstantOfShape',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'input', dtypes: ['int64'] }],
  outputs: [{ name: 'output' }],
  attrs: { value: { type: 'tensor' } },
  differentiable: false,
  infer(context) {
    const value = context.attrs.value as TensorData | undefined;
    if (value && value.data.length === 0) shapeError(context, 'value must hold one element');
    const dtype: DType = value?.dtype ?? 'float32';
    const known = constantInts(context, 0);
    if (known) {
      if (known.some((dim) => dim < 0)) shapeError(context, `shape [${known.join(', ')}] has a negative dim`);
      return [{ dtype, shape: known }];
    }
    const rank = lengthOf1D(context, 0);
    if (rank === undefined) shapeError(context, 'the output rank is unknown: the shape input has a symbolic length');
    return [{ dtype, shape: freshShape(context, rank) }];
  },
};

const LRN: OpSchema = {
  name: 'LRN',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'X', dtypes: FLOAT_TYPES }],
  outputs: [{ name: 'Y' }],
  attrs: {
    alpha: { type: 'float', default: 0.0001 },
    beta: { type: 'float', default: 0.75 },
    bias: { type: 'float', default: 1 },
    size: { type: 'int', required: true },
  },
  differentiable: false,
  infer(context) {
    // X: (N, C, D1, …)
    const x = requireRank(context, 0, 3, true);
    if (intAttr(context, 'size') < 1) shapeError(context, `size ${intAttr(context, 'size')} must be >= 1`);
    return [{ dtype: input(context, 0).dtype, shape: [...x] }];
  },
};

/** Sum / Mean / Max / Min: one or more inputs of one dtype, multidirectional broadcasting. */
function variadic(name: string, dtypes: readonly DType[]): OpSchema {
  return {
    name,
    domain: ONNX_DOMAIN,
    inputs: [{ name: 'data_0', variadic: true, dtypes }],
    outputs: [{ name: name.toLowerCase() }],
    attrs: {},
    differentiable: true,
    infer(context) {
      if (context.inputs.length < 1) shapeError(context, 'needs at least one input');
      const dtype = sameDType(context, context.inputs.map((_, index) => index));
      const shapes = context.inputs.map((_, index) => input(context, index).shape);
      return [{ dtype, shape: broadcastInputs(context, shapes) }];
    },
  };
}

/** NonMaxSuppression's optional scalar inputs must be scalars or one-element vectors. */
function checkScalarInput(context: Parameters<OpSchema['infer']>[0], index: number, dtypes: readonly DType[]): void {
  const info = context.inputs[index];
  if (!info) return;
  if (!dtypes.includes(info.dtype)) dtypeError(context, `input ${index} must be ${dtypes.join(' or ')}`);
  if (info.shape.length > 1 || (info.shape.length === 1 && typeof info.shape[0] === 'number' && info.shape[0] !== 1)) {
    shapeError(context, `input ${index} must be a scalar, got ${formatShape(info.shape)}`);
  }
}

const NonMaxSuppression: OpSchema = {
  name: 'NonMaxSuppression',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'boxes', dtypes: ['float32'] },
    { name: 'scores', dtypes: ['float32'] },
    { name: 'max_output_boxes_per_class', optional: true, dtypes: ['int64'] },
    { name: 'iou_threshold', optional: true, dtypes: ['float32'] },
    { name: 'score_threshold', optional: true, dtypes: ['float32'] },
  ],
  outputs: [{ name: 'selected_indices' }],
  attrs: { center_point_box: { type: 'int', default: 0 } },
  differentiable: false,
  infer(context) {
    // boxes: (N, S, 4), scores: (N, C, S) → selected_indices: (num_selected, 3)
    const boxes = requireRank(context, 0, 3);
    const scores = requireRank(context, 1, 3);
    unifyDims(context, boxes[0] ?? 0, scores[0] ?? 0, 'batch');
    unifyDims(context, boxes[1] ?? 0, scores[2] ?? 0, 'box count');
    unifyDims(context, boxes[2] ?? 0, 4, 'box coordinates');
    checkScalarInput(context, 2, ['int64']);
    checkScalarInput(context, 3, ['float32']);
    checkScalarInput(context, 4, ['float32']);
    const centerPointBox = intAttr(context, 'center_point_box');
    if (centerPointBox !== 0 && centerPointBox !== 1) shapeError(context, `center_point_box ${centerPointBox} must be 0 or 1`);
    return [{ dtype: 'int64', shape: [freshDim(context, 0), 3] }];
  },
};

export const MISC_OPS: readonly OpSchema[] = [
  ConstantOfShape,
  LRN,
  variadic('Sum', FLOAT_TYPES),
  variadic('Mean', FLOAT_TYPES),
  variadic('Max', NUMERIC_TYPES),
  variadic('Min', NUMERIC_TYPES),
  NonMaxSuppression,
];
