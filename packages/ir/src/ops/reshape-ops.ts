// Layout ops that rearrange dims without touching values: Reshape (allowzero, 0, -1), Flatten,
// Transpose, Squeeze, Unsqueeze, Expand, Concat. Shape-like operands are int64 inputs; when
// their values are unknown the output gets fresh symbolic dims of the knowable rank.
// reference: https://onnx.ai/onnx/operators/onnx__Reshape.html (and siblings)
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape, isStaticShape, shapeSize } from '../shape.js';
import { broadcastInputs } from './elementwise.js';
import {
  ALL_TYPES,
  SHAPE_TYPES,
  axesOf,
  axisOf,
  constantInts,
  dimProduct,
  freshDim,
  freshShape,
  input,
  intAttr,
  intsAttr,
  lengthOf1D,
  sameDType,
  shapeError,
} from './infer-helpers.js';

/** Rank of an output whose shape comes from a 1-D int64 input whose values are unknown. */
function rankFromShapeInput(context: InferenceContext, index: number): number {
  const length = lengthOf1D(context, index);
  if (length === undefined) shapeError(context, `cannot infer the output rank: input ${index} has unknown length`);
  return length;
}

function reshapeDims(context: InferenceContext, x: readonly Dim[], requested: readonly number[]): Dim[] {
  const allowZero = intAttr(context, 'allowzero') !== 0;
  const describe = `${formatShape(x)} to [${requested.join(', ')}]`;
  if (allowZero && requested.includes(0) && requested.includes(-1)) {
    shapeError(context, `cannot reshape ${describe}: allowzero forbids mixing 0 and -1`);
  }
  const output: Dim[] = [];
  let inferred = -1;
  requested.forEach((value, axis) => {
    if (value === 0 && !allowZero) {
      if (axis >= x.length) shapeError(context, `cannot reshape ${describe}: 0 at position ${axis} has no input dim to copy`);
      output.push(x[axis] as Dim);
    } else if (value === -1) {
      if (inferred >= 0) shapeError(context, `cannot reshape ${describe}: more than one -1`);
      inferred = axis;
      output.push(-1);
    } else if (value < -1) {
      shapeError(context, `cannot reshape ${describe}: invalid dim ${value}`);
    } else output.push(value);
  });
  const others = output.filter((_, axis) => axis !== inferred);
  if (!isStaticShape(x) || !isStaticShape(others)) {
    if (inferred >= 0) output[inferred] = freshDim(context, inferred);
    return output;
  }
  const total = shapeSize(x);
  const rest = shapeSize(others);
  if (inferred >= 0) {
    if (rest === 0 || total % rest !== 0) shapeError(context, `cannot reshape ${describe}: ${total} elements do not divide by ${rest}`);
    output[inferred] = total / rest;
  } else if (rest !== total) {
    shapeError(context, `cannot reshape ${describe}: ${total} elements vs ${rest}`);
  }
  return output;
}

const Reshape: OpSchema = {
  name: 'Reshape',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'shape', dtypes: SHAPE_TYPES }],
  outputs: [{ name: 'reshaped' }],
  attrs: { allowzero: { type: 'int', default: 0 } },
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const requested = constantInts(context, 1);
    const shape = requested ? reshapeDims(context, x.shape, requested) : freshShape(context, rankFromShapeInput(context, 1));
    return [{ dtype: x.dtype, shape }];
  },
};

const Flatten: OpSchema = {
  name: 'Flatten',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { axis: { type: 'int', default: 1 } },
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const rank = x.shape.length;
    const raw = intAttr(context, 'axis', 1);
    const axis = raw < 0 ? raw + rank : raw;
    if (axis < 0 || axis > rank) shapeError(context, `axis ${raw} is out of range for rank ${rank}`);
    const outer = dimProduct(x.shape.slice(0, axis), () => freshDim(context, 0));
    const inner = dimProduct(x.shape.slice(axis), () => freshDim(context, 1));
    return [{ dtype: x.dtype, shape: [outer, inner] }];
  },
};

const Transpose: OpSchema = {
  name: 'Transpose',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'transposed' }],
  attrs: { perm: { type: 'ints' } },
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const rank = x.shape.length;
    const given = intsAttr(context, 'perm');
    const perm = given.length > 0 ? given : x.shape.map((_, axis) => rank - 1 - axis);
    if (perm.length !== rank) shapeError(context, `perm [${perm.join(', ')}] must have ${rank} entries`);
    const axes = axesOf(context, perm, rank);
    return [{ dtype: x.dtype, shape: axes.map((axis) => x.shape[axis] as Dim) }];
  },
};

const Squeeze: OpSchema = {
  name: 'Squeeze',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'axes', optional: true, dtypes: SHAPE_TYPES }],
  outputs: [{ name: 'squeezed' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    if (context.inputs[1] && !context.constants[1]) {
      return [{ dtype: x.dtype, shape: freshShape(context, x.shape.length - rankFromShapeInput(context, 1)) }];
    }
    const known = constantInts(context, 1);
    // no axes: drop every static 1 (symbolic dims are kept)
    const axes = known ? axesOf(context, known, x.shape.length) : x.shape.flatMap((dim, axis) => (dim === 1 ? [axis] : []));
    for (const axis of axes) {
      const dim = x.shape[axis] as Dim;
      if (typeof dim === 'number' && dim !== 1) shapeError(context, `cannot squeeze axis ${axis} of ${formatShape(x.shape)}: size ${dim}`);
    }
    return [{ dtype: x.dtype, shape: x.shape.filter((_, axis) => !axes.includes(axis)) }];
  },
};

const Unsqueeze: OpSchema = {
  name: 'Unsqueeze',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'axes', dtypes: SHAPE_TYPES }],
  outputs: [{ name: 'expanded' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const known = constantInts(context, 1);
    if (!known) return [{ dtype: x.dtype, shape: freshShape(context, x.shape.length + rankFromShapeInput(context, 1)) }];
    const rank = x.shape.length + known.length;
    const axes = axesOf(context, known, rank);
    const source = [...x.shape];
    const shape = Array.from({ length: rank }, (_, axis): Dim => (axes.includes(axis) ? 1 : (source.shift() as Dim)));
    return [{ dtype: x.dtype, shape }];
  },
};

const Expand: OpSchema = {
  name: 'Expand',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'input' }, { name: 'shape', dtypes: SHAPE_TYPES }],
  outputs: [{ name: 'output' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    const known = constantInts(context, 1);
    if (!known) {
      const rank = Math.max(x.shape.length, rankFromShapeInput(context, 1));
      return [{ dtype: x.dtype, shape: freshShape(context, rank) }];
    }
    return [{ dtype: x.dtype, shape: broadcastInputs(context, [x.shape, known]) }];
  },
};

const Concat: OpSchema = {
  name: 'Concat',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'inputs', variadic: true, dtypes: ALL_TYPES }],
  outputs: [{ name: 'concat_result' }],
  attrs: { axis: { type: 'int', required: true } },
  differentiable: true,
  infer(context) {
    if (context.inputs.length === 0) shapeError(context, 'needs at least one input');
    const dtype = sameDType(
      context,
      context.inputs.map((_, index) => index),
    );
    const first = input(context, 0).shape;
    const axis = axisOf(context, intAttr(context, 'axis'), first.length);
    const shape: Dim[] = [...first];
    let total: Dim = 0;
    context.inputs.forEach((_, index) => {
      const other = input(context, index).shape;
      if (other.length !== first.length) shapeError(context, `input ${index} ${formatShape(other)} has a different rank than ${formatShape(first)}`);
      other.forEach((dim, position) => {
        if (position === axis) return;
        const current = shape[position] as Dim;
        if (typeof dim === 'number' && typeof current === 'number' && dim !== current) {
          shapeError(context, `input ${index} ${formatShape(other)} differs from ${formatShape(first)} outside axis ${axis}`);
        }
        if (typeof current === 'string' && typeof dim === 'number') shape[position] = dim;
      });
      const size = other[axis] as Dim;
      total = typeof total === 'number' && typeof size === 'number' ? total + size : freshDim(context, axis);
    });
    shape[axis] = total;
    return [{ dtype, shape }];
  },
};

export const RESHAPE_OPS: readonly OpSchema[] = [Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Concat];
