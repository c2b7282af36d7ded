// Conv and ConvTranspose schemas (1-D/2-D/3-D, groups, dilations, pads / auto_pad, strides,
// ConvTranspose output_padding and output_shape).
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html, https://onnx.ai/onnx/operators/onnx__ConvTranspose.html
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { FLOAT_TYPES, freshDim, input, intAttr, intsAttr, sameDType, shapeError } from './infer-helpers.js';
import { type WindowAttrs, windowAttrs, windowOutputDim } from './spatial-window.js';

export const CONV_ATTRS = {
  auto_pad: { type: 'string', default: 'NOTSET' },
  dilations: { type: 'ints' },
  group: { type: 'int', default: 1 },
  kernel_shape: { type: 'ints' },
  pads: { type: 'ints' },
  strides: { type: 'ints' },
} as const;

interface ConvShapes {
  x: readonly Dim[];
  w: readonly Dim[];
  group: number;
  spatialRank: number;
}

/** Input positions of X, W and the optional bias (QLinearConv / ConvInteger lay them out differently). */
export interface ConvInputPositions {
  readonly x: number;
  readonly w: number;
  readonly bias?: number;
}

const CONV_POSITIONS: ConvInputPositions = { x: 0, w: 1, bias: 2 };

/** Common checks: ranks, group >= 1, bias length. Returns X and W shapes. */
function convShapes(
  context: InferenceContext,
  biasLength: (w: readonly Dim[], group: number) => Dim,
  positions: ConvInputPositions = CONV_POSITIONS,
): ConvShapes {
  const x = input(context, positions.x).shape;
  const w = input(context, positions.w).shape;
  const group = intAttr(context, 'group', 1);
  if (x.length < 3) shapeError(context, `X must be (N, C, spatial...), got ${formatShape(x)}`);
  if (w.length !== x.length) shapeError(context, `W ${formatShape(w)} must have the rank of X ${formatShape(x)}`);
  if (group < 1) shapeError(context, `group ${group} must be >= 1`);
  const bias = positions.bias === undefined ? undefined : context.inputs[positions.bias];
  if (bias) {
    const expected = biasLength(w, group);
    const actual = bias.shape[0] as Dim;
    if (bias.shape.length !== 1 || (typeof actual === 'number' && typeof expected === 'number' && actual !== expected)) {
      shapeError(context, `B ${formatShape(bias.shape)} must be 1-D of length ${expected}`);
    }
  }
  return { x, w, group, spatialRank: x.length - 2 };
}

function checkDivisible(context: InferenceContext, value: Dim, group: number, what: string): void {
  if (typeof value === 'number' && value % group !== 0) shapeError(context, `${what} ${value} is not divisible by group ${group}`);
}

/** Conv's output shape (N, M, O1, …) for X, W at `positions`; shared with QLinearConv and ConvInteger. */
export function convOutputShape(context: InferenceContext, positions: ConvInputPositions = CONV_POSITIONS): Dim[] {
  // X: (N, C, D1..Dn), W: (M, C/group, k1..kn)
  const { x, w, group, spatialRank } = convShapes(context, (weight) => weight[0] as Dim, positions);
  const channels = x[1] as Dim;
  const perGroup = w[1] as Dim;
  checkDivisible(context, w[0] as Dim, group, 'output channels');
  if (typeof channels === 'number' && typeof perGroup === 'number' && channels !== perGroup * group) {
    shapeError(context, `input channels ${channels} != W channels ${perGroup} x group ${group} (X ${formatShape(x)}, W ${formatShape(w)})`);
  }
  const window = windowAttrs(context, spatialRank, w.slice(2));
  const spatial = x.slice(2).map((inputDim, axis) =>
    windowOutputDim(context, window, { axis, inputDim, spatialRank, outputAxis: axis + 2 }),
  );
  return [x[0] as Dim, w[0] as Dim, ...spatial];
}

const Conv: OpSchema = {
  name: 'Conv',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: FLOAT_TYPES },
    { name: 'W', dtypes: FLOAT_TYPES },
    { name: 'B', optional: true, dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: CONV_ATTRS,
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    return [{ dtype, shape: convOutputShape(context) }];
  },
};

function transposedDim(context: InferenceContext, window: WindowAttrs, axis: number, inputDim: Dim): Dim {
  const kernel = window.kernel[axis] as number;
  if (typeof inputDim !== 'number' || Number.isNaN(kernel)) return freshDim(context, axis + 2);
  const stride = window.strides[axis] as number;
  if (window.autoPad === 'SAME_UPPER' || window.autoPad === 'SAME_LOWER') return inputDim * stride;
  const outputPadding = intsAttr(context, 'output_padding')[axis] ?? 0;
  const rank = window.kernel.length;
  const effective = (window.dilations[axis] as number) * (kernel - 1) + 1;
  const size = stride * (inputDim - 1) + outputPadding + effective - (window.pads[axis] as number) - (window.pads[axis + rank] as number);
  if (size < 1) shapeError(context, `spatial axis ${axis}: computed output size ${size} is not positive`);
  return size;
}

const ConvTranspose: OpSchema = {
  name: 'ConvTranspose',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: FLOAT_TYPES },
    { name: 'W', dtypes: FLOAT_TYPES },
    { name: 'B', optional: true, dtypes: FLOAT_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: { ...CONV_ATTRS, output_padding: { type: 'ints' }, output_shape: { type: 'ints' } },
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    // X: (N, C, D1..Dn), W: (C, M/group, k1..kn), Y: (N, M, ...)
    const biasLength = (weight: readonly Dim[], group: number): Dim =>
      typeof weight[1] === 'number' ? weight[1] * group : (weight[1] as Dim);
    const { x, w, group, spatialRank } = convShapes(context, biasLength);
    const channels = x[1] as Dim;
    if (typeof channels === 'number' && typeof w[0] === 'number' && channels !== w[0]) {
      shapeError(context, `input channels ${channels} != W dim 0 ${w[0]} (X ${formatShape(x)}, W ${formatShape(w)})`);
    }
    checkDivisible(context, channels, group, 'input channels');
    const window = windowAttrs(context, spatialRank, w.slice(2));
    const outputPadding = intsAttr(context, 'output_padding');
    if (outputPadding.length > 0 && outputPadding.length !== spatialRank) {
      shapeError(context, `output_padding [${outputPadding.join(', ')}] must have ${spatialRank} entries`);
    }
    const outputShape = intsAttr(context, 'output_shape');
    let spatial: Dim[];
    if (outputShape.length > 0) {
      if (outputShape.length !== spatialRank && outputShape.length !== spatialRank + 2) {
        shapeError(context, `output_shape [${outputShape.join(', ')}] must have ${spatialRank} entries`);
      }
      spatial = outputShape.slice(-spatialRank);
    } else {
      spatial = x.slice(2).map((inputDim, axis) => transposedDim(context, window, axis, inputDim));
    }
    return [{ dtype, shape: [x[0] as Dim, biasLength(w, group), ...spatial] }];
  },
};

export const CONVOLUTION_OPS: readonly OpSchema[] = [Conv, ConvTranspose];
