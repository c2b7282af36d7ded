// Resize: nearest (all nearest_mode variants), linear and cubic (cubic_coeff_a, exclude_outside),
// with antialias for linear/cubic downsampling; N-d and separable (1-D filtering along each axis
// in turn), every coordinate_transformation_mode, scales or sizes, axes,
// keep_aspect_ratio_policy and tf_crop_and_resize's roi/extrapolation_value.
// reference: https://onnx.ai/onnx/operators/onnx__Resize.html
import { AttributeError, type Attributes, type TensorData, normalizeAxis, toNumberArray } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, intAttribute, intsAttribute, requireInput, shapeError, stringAttribute } from '../linear/kernel-helpers.js';
import { type AxisResize, originalCoordinate, resizeAxes } from './resize-coordinates.js';
import { type FilterOptions, filterTaps } from './resize-filters.js';

interface AxisPass {
  readonly axis: number;
  readonly resize: AxisResize;
}

function filterOptions(attrs: Attributes): FilterOptions {
  return {
    mode: stringAttribute(attrs, 'mode', 'nearest'),
    nearestMode: stringAttribute(attrs, 'nearest_mode', 'round_prefer_floor'),
    cubicCoefficient: floatAttribute(attrs, 'cubic_coeff_a', -0.75),
    antialias: intAttribute(attrs, 'antialias', 0) !== 0,
    excludeOutside: intAttribute(attrs, 'exclude_outside', 0) !== 0,
  };
}

/** Resamples `source` of `shape` along one axis: (outer, in, inner) → (outer, out, inner). */
function resampleAxis(source: Float64Array, shape: number[], pass: AxisPass, attrs: Attributes): Float64Array {
  const { axis, resize } = pass;
  const outer = shape.slice(0, axis).reduce((product, dim) => product * dim, 1);
  const inner = shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const transform = stringAttribute(attrs, 'coordinate_transformation_mode', 'half_pixel');
  const extrapolation = floatAttribute(attrs, 'extrapolation_value', 0);
  const options = filterOptions(attrs);
  const target = new Float64Array(outer * resize.outSize * inner);
  for (let x = 0; x < resize.outSize; x++) {
    const coordinate = originalCoordinate(transform, resize, x);
    const outside = transform === 'tf_crop_and_resize' && (coordinate < 0 || coordinate > resize.inSize - 1);
    const taps = filterTaps(coordinate, resize.inSize, resize.scale, options);
    for (let o = 0; o < outer; o++) {
      const sourceBase = o * resize.inSize * inner;
      const targetBase = (o * resize.outSize + x) * inner;
      for (let i = 0; i < inner; i++) {
        let value = 0;
        for (const tap of taps) value += (source[sourceBase + tap.index * inner + i] as number) * tap.weight;
        target[targetBase + i] = outside ? extrapolation : value;
      }
    }
  }
  shape[axis] = resize.outSize;
  return target;
}

function optionalValues(input: TensorData | undefined): number[] | undefined {
  return input && input.data.length > 0 ? Array.from(toNumberArray(input)) : undefined;
}

export function resizeKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (D0, …) → y: (floor(D0·scale0) or sizes0, …)
  const x = requireInput(inputs, 0, context, 'X');
  const xData = floatData(x, context, 'X');
  const mode = stringAttribute(attrs, 'mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'cubic') {
    throw new AttributeError(`${context.op} (node '${context.node}'): unknown mode '${mode}' (nearest, linear or cubic)`, { op: context.op, node: context.node, attribute: 'mode' });
  }
  const rank = x.shape.length;
  const axes = (intsAttribute(attrs, 'axes') ?? x.shape.map((_, axis) => axis)).map((axis) => normalizeAxis(axis, rank, context.op));
  const scales = optionalValues(inputs[2]);
  const sizes = optionalValues(inputs[3]);
  if ((scales === undefined) === (sizes === undefined) || (scales ?? sizes ?? []).length !== axes.length) {
    throw shapeError(context, `exactly one of scales/sizes must be given, with ${axes.length} values`, [x.shape, inputs[2]?.shape ?? [], inputs[3]?.shape ?? []]);
  }
  const resizes = resizeAxes({ inShape: x.shape, axes, scales, sizes, roi: optionalValues(inputs[1]), policy: stringAttribute(attrs, 'keep_aspect_ratio_policy', 'stretch') });
  let values: Float64Array = Float64Array.from(xData);
  const shape = [...x.shape];
  axes.forEach((axis, index) => {
    values = resampleAxis(values, shape, { axis, resize: resizes[index] as AxisResize }, attrs);
  });
  const { tensor, data } = createFloatTensor(x.dtype, shape);
  data.set(values);
  return [tensor];
}
