// Ops that select, split or grow regions: Split (split input or num_outputs), Slice (clamping
// per ONNX), Gather, Pad (constant/reflect/edge/wrap, axes input), Resize (sizes or scales,
// keep_aspect_ratio_policy). Unknown shape-like inputs give fresh symbolic dims.
// reference: https://onnx.ai/onnx/operators/onnx__Slice.html (and Split, Gather, Pad, Resize)
import type { InferenceContext, OpSchema, ValueInfo } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import {
  FLOAT_TYPES,
  INDEX_TYPES,
  SHAPE_TYPES,
  axesOf,
  axisOf,
  constantInts,
  dtypeError,
  freshDim,
  freshShape,
  input,
  intAttr,
  intsAttr,
  lengthOf1D,
  requireChoice,
  shapeError,
} from './infer-helpers.js';

function splitSizes(context: InferenceContext, dim: Dim, count: number): (number | undefined)[] {
  const split = constantInts(context, 1);
  if (split) {
    const total = split.reduce((sum, value) => sum + value, 0);
    if (split.length !== count || split.some((value) => value < 0) || (typeof dim === 'number' && total !== dim)) {
      shapeError(context, `split [${split.join(', ')}] does not split a dim of ${dim} into ${count} outputs`);
    }
    return split;
  }
  if (context.inputs[1] || typeof dim !== 'number') return new Array<undefined>(count).fill(undefined);
  const numOutputs = context.attrs.num_outputs;
  if (typeof numOutputs === 'number') {
    if (numOutputs !== count) shapeError(context, `num_outputs ${numOutputs} != declared outputs ${count}`);
    const chunk = Math.ceil(dim / count);
    return Array.from({ length: count }, (_, index) => Math.max(0, Math.min(chunk, dim - chunk * index)));
  }
  if (dim % count !== 0) shapeError(context, `dim ${dim} cannot be split evenly into ${count} outputs`);
  return new Array<number>(count).fill(dim / count);
}

const Split: OpSchema = {
  name: 'Split',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'input' }, { name: 'split', optional: true, dtypes: SHAPE_TYPES }],
  outputs: [{ name: 'outputs', variadic: true }],
  attrs: { axis: { type: 'int', default: 0 }, num_outputs: { type: 'int' } },
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const axis = axisOf(context, intAttr(context, 'axis'), x.shape.length);
    const sizes = splitSizes(context, x.shape[axis] as Dim, context.outputCount);
    return sizes.map((size, output): ValueInfo => {
      const shape = [...x.shape];
      shape[axis] = size ?? freshDim(context, axis, output);
      return { dtype: x.dtype, shape };
    });
  },
};

/** One axis of a Slice: the clamped first index, the step and how many elements it selects. */
export interface AxisSlice {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** Clamps start/end of a Slice axis by ONNX's rules and counts the selected elements. */
export function sliceAxis(dim: number, start: number, end: number, step: number): AxisSlice {
  let first = start < 0 ? start + dim : start;
  let last = end < 0 ? end + dim : end;
  if (step > 0) {
    first = Math.min(Math.max(first, 0), dim);
    last = Math.min(Math.max(last, 0), dim);
  } else {
    first = Math.min(Math.max(first, 0), dim - 1);
    last = Math.min(Math.max(last, -1), dim - 1);
  }
  return { start: first, step, count: Math.max(0, Math.ceil((last - first) / step)) };
}

/** Number of elements Slice selects from a dim of `dim` (ONNX clamping rules). */
export function sliceCount(dim: number, start: number, end: number, step: number): number {
  return sliceAxis(dim, start, end, step).count;
}

const Slice: OpSchema = {
  name: 'Slice',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'data' },
    { name: 'starts', dtypes: INDEX_TYPES },
    { name: 'ends', dtypes: INDEX_TYPES },
    { name: 'axes', optional: true, dtypes: INDEX_TYPES },
    { name: 'steps', optional: true, dtypes: INDEX_TYPES },
  ],
  outputs: [{ name: 'output' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const rank = x.shape.length;
    if (context.inputs[3] && !context.constants[3]) return [{ dtype: x.dtype, shape: freshShape(context, rank) }];
    const count = lengthOf1D(context, 1) ?? rank;
    const axes = axesOf(context, constantInts(context, 3) ?? Array.from({ length: count }, (_, axis) => axis), rank);
    const [starts, ends, steps] = [constantInts(context, 1), constantInts(context, 2), constantInts(context, 4)];
    const stepsKnown = context.inputs[4] ? steps : axes.map(() => 1);
    if (starts && ends && (starts.length !== axes.length || ends.length !== axes.length || (stepsKnown !== undefined && stepsKnown.length !== axes.length))) {
      shapeError(context, `starts/ends/axes/steps lengths differ: ${starts.length}, ${ends.length}, ${axes.length}, ${stepsKnown?.length}`);
    }
    const shape = [...x.shape];
    axes.forEach((axis, index) => {
      const dim = x.shape[axis] as Dim;
      const step = stepsKnown?.[index];
      if (step === 0) shapeError(context, 'steps must be non-zero');
      if (!starts || !ends || step === undefined || typeof dim !== 'number') {
        shape[axis] = freshDim(context, axis);
        return;
      }
      shape[axis] = sliceCount(dim, starts[index] as number, ends[index] as number, step);
    });
    return [{ dtype: x.dtype, shape }];
  },
};

const Gather: OpSchema = {
  name: 'Gather',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'indices', dtypes: INDEX_TYPES }],
  outputs: [{ name: 'output' }],
  attrs: { axis: { type: 'int', default: 0 } },
  differentiable: true,
  infer(context) {
    const data = input(context, 0);
    const indices = input(context, 1);
    if (data.shape.length === 0) shapeError(context, 'data must have rank >= 1');
    const axis = axisOf(context, intAttr(context, 'axis'), data.shape.length);
    const dim = data.shape[axis] as Dim;
    const values = constantInts(context, 1);
    if (values && typeof dim === 'number' && values.some((value) => value < -dim || value >= dim)) {
      shapeError(context, `indices out of range [${-dim}, ${dim - 1}] for axis ${axis} of ${formatShape(data.shape)}`);
    }
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)] }];
  },
};

const Pad: OpSchema = {
  name: 'Pad',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'data' },
    { name: 'pads', dtypes: SHAPE_TYPES },
    { name: 'constant_value', optional: true },
    { name: 'axes', optional: true, dtypes: INDEX_TYPES },
  ],
  outputs: [{ name: 'output' }],
  attrs: { mode: { type: 'string', default: 'constant' } },
  differentiable: true,
  infer(context) {
    requireChoice(context, 'mode', ['constant', 'reflect', 'edge', 'wrap']);
    const x = input(context, 0);
    const rank = x.shape.length;
    const value = context.inputs[2];
    if (value && value.dtype !== x.dtype) dtypeError(context, `constant_value dtype ${value.dtype} differs from data ${x.dtype}`);
    if (context.inputs[3] && !context.constants[3]) return [{ dtype: x.dtype, shape: freshShape(context, rank) }];
    const axes = axesOf(context, constantInts(context, 3) ?? x.shape.map((_, axis) => axis), rank);
    const pads = constantInts(context, 1);
    if (pads && pads.length !== axes.length * 2) shapeError(context, `pads [${pads.join(', ')}] must have ${axes.length * 2} entries`);
    const shape = [...x.shape];
    axes.forEach((axis, index) => {
      const dim = x.shape[axis] as Dim;
      if (!pads || typeof dim !== 'number') {
        shape[axis] = freshDim(context, axis);
        return;
      }
      const size = dim + (pads[index] as number) + (pads[index + axes.length] as number);
      if (size < 0) shapeError(context, `pads [${pads.join(', ')}] make axis ${axis} of ${formatShape(x.shape)} negative`);
      shape[axis] = size;
    });
    return [{ dtype: x.dtype, shape }];
  },
};

function resizeValidate(context: InferenceContext): void {
  requireChoice(context, 'mode', ['nearest', 'linear', 'cubic']);
  requireChoice(context, 'coordinate_transformation_mode', [
    'half_pixel',
    'half_pixel_symmetric',
    'pytorch_half_pixel',
    'align_corners',
    'asymmetric',
    'tf_crop_and_resize',
  ]);
  requireChoice(context, 'nearest_mode', ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']);
  requireChoice(context, 'keep_aspect_ratio_policy', ['stretch', 'not_larger', 'not_smaller']);
}

/** Resize output dims from known sizes (with keep_aspect_ratio_policy) or scales. */
function resizeDims(context: InferenceContext, inputDims: readonly number[], sizes?: number[], scales?: number[]): number[] {
  if (scales) return inputDims.map((dim, index) => Math.floor(dim * (scales[index] as number)));
  const target = sizes as number[];
  const policy = context.attrs.keep_aspect_ratio_policy;
  if (policy === 'stretch') return target;
  const ratios = inputDims.map((dim, index) => (target[index] as number) / dim);
  const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
  return inputDims.map((dim) => Math.floor(dim * scale + 0.5));
}

const Resize: OpSchema = {
  name: 'Resize',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X' },
    { name: 'roi', optional: true, dtypes: FLOAT_TYPES },
    { name: 'scales', optional: true, dtypes: ['float32'] },
    { name: 'sizes', optional: true, dtypes: SHAPE_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {
    antialias: { type: 'int', default: 0 },
    axes: { type: 'ints' },
    coordinate_transformation_mode: { type: 'string', default: 'half_pixel' },
    cubic_coeff_a: { type: 'float', default: -0.75 },
    exclude_outside: { type: 'int', default: 0 },
    extrapolation_value: { type: 'float', default: 0 },
    keep_aspect_ratio_policy: { type: 'string', default: 'stretch' },
    mode: { type: 'string', default: 'nearest' },
    nearest_mode: { type: 'string', default: 'round_prefer_floor' },
  },
  differentiable: true,
  infer(context) {
    resizeValidate(context);
    const x = input(context, 0);
    const rank = x.shape.length;
    const given = intsAttr(context, 'axes');
    const axes = axesOf(context, given.length > 0 ? given : x.shape.map((_, axis) => axis), rank);
    const hasScales = context.inputs[2] !== undefined && lengthOf1D(context, 2) !== 0;
    const hasSizes = context.inputs[3] !== undefined && lengthOf1D(context, 3) !== 0;
    if (hasScales === hasSizes) shapeError(context, 'exactly one of scales and sizes must be given');
    const values = hasScales ? constantInts(context, 2) : constantInts(context, 3);
    if (values && values.length !== axes.length) shapeError(context, `${hasScales ? 'scales' : 'sizes'} [${values.join(', ')}] must have ${axes.length} entries`);
    const inputDims = axes.map((axis) => x.shape[axis] as Dim);
    const shape = [...x.shape];
    if (!values || inputDims.some((dim) => typeof dim !== 'number')) {
      for (const axis of axes) shape[axis] = freshDim(context, axis);
    } else {
      const dims = resizeDims(context, inputDims as number[], hasScales ? undefined : values, hasScales ? values : undefined);
      axes.forEach((axis, index) => {
        shape[axis] = dims[index] as number;
      });
    }
    return [{ dtype: x.dtype, shape }];
  },
};

export const SLICING_OPS: readonly OpSchema[] = [Split, Slice, Gather, Pad, Resize];
