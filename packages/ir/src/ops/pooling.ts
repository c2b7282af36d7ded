// MaxPool (ceil_mode, dilations, optional int64 Indices output), AveragePool
// (count_include_pad, ceil_mode) and GlobalAveragePool schemas.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html, onnx__AveragePool.html, onnx__GlobalAveragePool.html
import type { DType } from '../dtype.js';
import type { InferenceContext, OpSchema, ValueInfo } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { FLOAT_TYPES, input, intAttr, requireOutputCount, shapeError } from './infer-helpers.js';
import { windowAttrs, windowOutputDim } from './spatial-window.js';

const POOL_ATTRS = {
  auto_pad: { type: 'string', default: 'NOTSET' },
  ceil_mode: { type: 'int', default: 0 },
  dilations: { type: 'ints' },
  kernel_shape: { type: 'ints', required: true },
  pads: { type: 'ints' },
  strides: { type: 'ints' },
} as const;

/** Output shape of a pooling op: (N, C, pooled spatial...). */
function pooledShape(context: InferenceContext): Dim[] {
  // X: (N, C, D1..Dn)
  const x = input(context, 0).shape;
  if (x.length < 3) shapeError(context, `X must be (N, C, spatial...), got ${formatShape(x)}`);
  const spatialRank = x.length - 2;
  const window = windowAttrs(context, spatialRank);
  const ceilMode = intAttr(context, 'ceil_mode') !== 0;
  const spatial = x
    .slice(2)
    .map((inputDim, axis) => windowOutputDim(context, window, { axis, inputDim, spatialRank, ceilMode, outputAxis: axis + 2 }));
  return [x[0] as Dim, x[1] as Dim, ...spatial];
}

const MAXPOOL_TYPES: readonly DType[] = [...FLOAT_TYPES, 'int8', 'uint8'];

const MaxPool: OpSchema = {
  name: 'MaxPool',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'X', dtypes: MAXPOOL_TYPES }],
  outputs: [{ name: 'Y' }, { name: 'Indices', optional: true }],
  attrs: { ...POOL_ATTRS, storage_order: { type: 'int', default: 0 } },
  differentiable: true,
  infer(context) {
    requireOutputCount(context, 2);
    const shape = pooledShape(context);
    const outputs: ValueInfo[] = [{ dtype: input(context, 0).dtype, shape }];
    if (context.outputCount > 1) outputs.push({ dtype: 'int64', shape: [...shape] });
    return outputs;
  },
};

const AveragePool: OpSchema = {
  name: 'AveragePool',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'X', dtypes: FLOAT_TYPES }],
  outputs: [{ name: 'Y' }],
  attrs: { ...POOL_ATTRS, count_include_pad: { type: 'int', default: 0 } },
  differentiable: true,
  infer: (context) => [{ dtype: input(context, 0).dtype, shape: pooledShape(context) }],
};

const GlobalAveragePool: OpSchema = {
  name: 'GlobalAveragePool',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'X', dtypes: FLOAT_TYPES }],
  outputs: [{ name: 'Y' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    if (x.shape.length < 3) shapeError(context, `X must be (N, C, spatial...), got ${formatShape(x.shape)}`);
    return [{ dtype: x.dtype, shape: [x.shape[0] as Dim, x.shape[1] as Dim, ...x.shape.slice(2).map(() => 1)] }];
  },
};

export const POOLING_OPS: readonly OpSchema[] = [MaxPool, AveragePool, GlobalAveragePool];
