// Reductions and scans: ReduceSum/ReduceMean/ReduceMax/ReduceMin (opset 18 style: axes as an
// optional int64 input, keepdims, noop_with_empty_axes), ArgMax, CumSum, TopK.
// reference: https://onnx.ai/onnx/operators/onnx__ReduceSum.html, onnx__ArgMax.html, onnx__CumSum.html, onnx__TopK.html
import type { DType } from '../dtype.js';
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import {
  INDEX_TYPES,
  NUMERIC_TYPES,
  SHAPE_TYPES,
  axesOf,
  axisOf,
  constantInts,
  freshDim,
  freshShape,
  input,
  intAttr,
  lengthOf1D,
  requireOutputCount,
  shapeError,
} from './infer-helpers.js';

/** Output shape of a reduction over `axes` (normalized). */
function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const result: Dim[] = [];
  shape.forEach((dim, axis) => {
    if (!axes.includes(axis)) result.push(dim);
    else if (keepdims) result.push(1);
  });
  return result;
}

function reduceShape(context: InferenceContext): Dim[] {
  const x = input(context, 0).shape;
  const keepdims = intAttr(context, 'keepdims', 1) !== 0;
  const axesInfo = context.inputs[1];
  const known = constantInts(context, 1);
  const count = lengthOf1D(context, 1);
  if (!axesInfo || known?.length === 0 || count === 0) {
    if (intAttr(context, 'noop_with_empty_axes') !== 0) return [...x];
    return reducedShape(
      x,
      x.map((_, axis) => axis),
      keepdims,
    );
  }
  if (known) return reducedShape(x, axesOf(context, known, x.length), keepdims);
  // axes unknown: the rank is knowable when keepdims or the axes count is static
  if (keepdims) return freshShape(context, x.length);
  if (count === undefined) shapeError(context, 'cannot infer the output rank: axes are unknown and of unknown length');
  if (count > x.length) shapeError(context, `${count} axes given for input ${formatShape(x)}`);
  return freshShape(context, x.length - count);
}

function reduce(name: string, dtypes: readonly DType[] = NUMERIC_TYPES): OpSchema {
  return {
    name,
    domain: ONNX_DOMAIN,
    inputs: [
      { name: 'data', dtypes },
      { name: 'axes', optional: true, dtypes: SHAPE_TYPES },
    ],
    outputs: [{ name: 'reduced' }],
    attrs: { keepdims: { type: 'int', default: 1 }, noop_with_empty_axes: { type: 'int', default: 0 } },
    differentiable: true,
    infer: (context) => [{ dtype: input(context, 0).dtype, shape: reduceShape(context) }],
  };
}

const ArgMax: OpSchema = {
  name: 'ArgMax',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data', dtypes: NUMERIC_TYPES }],
  outputs: [{ name: 'reduced' }],
  attrs: {
    axis: { type: 'int', default: 0 },
    keepdims: { type: 'int', default: 1 },
    select_last_index: { type: 'int', default: 0 },
  },
  differentiable: false,
  infer(context) {
    const x = input(context, 0).shape;
    const axis = axisOf(context, intAttr(context, 'axis'), x.length);
    return [{ dtype: 'int64', shape: reducedShape(x, [axis], intAttr(context, 'keepdims', 1) !== 0) }];
  },
};

const CumSum: OpSchema = {
  name: 'CumSum',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'x', dtypes: NUMERIC_TYPES },
    { name: 'axis', dtypes: INDEX_TYPES },
  ],
  outputs: [{ name: 'y' }],
  attrs: { exclusive: { type: 'int', default: 0 }, reverse: { type: 'int', default: 0 } },
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const axisInfo = input(context, 1);
    if (axisInfo.shape.length > 1 || (axisInfo.shape.length === 1 && axisInfo.shape[0] !== 1)) {
      shapeError(context, `axis must be a scalar, got ${formatShape(axisInfo.shape)}`);
    }
    const axis = constantInts(context, 1);
    if (axis) axisOf(context, axis[0] as number, x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
};

const TopK: OpSchema = {
  name: 'TopK',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: NUMERIC_TYPES },
    { name: 'K', dtypes: SHAPE_TYPES },
  ],
  outputs: [{ name: 'Values' }, { name: 'Indices' }],
  attrs: {
    axis: { type: 'int', default: -1 },
    largest: { type: 'int', default: 1 },
    sorted: { type: 'int', default: 1 },
  },
  differentiable: true,
  infer(context) {
    requireOutputCount(context, 2);
    const x = input(context, 0);
    const axis = axisOf(context, intAttr(context, 'axis', -1), x.shape.length);
    if (lengthOf1D(context, 1) !== undefined && lengthOf1D(context, 1) !== 1) {
      shapeError(context, `K must hold one value, got ${formatShape(input(context, 1).shape)}`);
    }
    const k = constantInts(context, 1)?.[0];
    const dim = x.shape[axis] as Dim;
    if (k !== undefined && (k < 0 || (typeof dim === 'number' && k > dim))) {
      shapeError(context, `K=${k} is out of range for axis ${axis} of ${formatShape(x.shape)}`);
    }
    const shape = [...x.shape];
    shape[axis] = k ?? freshDim(context, axis);
    const outputs = [{ dtype: x.dtype, shape }];
    if (context.outputCount > 1) outputs.push({ dtype: 'int64', shape: [...shape] });
    return outputs;
  },
};

export const REDUCTION_OPS: readonly OpSchema[] = [
  reduce('ReduceSum'),
  reduce('ReduceMean'),
  // bool inputs since opset 20
  reduce('ReduceMax', [...NUMERIC_TYPES, 'bool']),
  reduce('ReduceMin', [...NUMERIC_TYPES, 'bool']),
  ArgMax,
  CumSum,
  TopK,
];
