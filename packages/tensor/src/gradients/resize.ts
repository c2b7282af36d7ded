// Gradient of ONNX Resize for mode nearest and linear (antialias off; every coordinate transformation
// mode incl. tf_crop_and_resize, whose outside samples carry no gradient). Both are separable
// linear maps: along each resized axis y = M x with an (out × in) interpolation matrix built on
// the host from the coordinate transformation, so dx = Mᵀ dy applied axis by axis (MatMul).
// reference: https://onnx.ai/onnx/operators/onnx__Resize.html
import { UnsupportedOpError, fromNumbers, toNumberArray } from '@efficientdl/ir';
import * as F from '../functional.js';
import { Tensor } from '../tensor.js';
import type { GradientContext, GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, positiveAxis, product } from './helpers.js';

interface AxisResize {
  input: number;
  output: number;
  scale: number;
  /** tf_crop_and_resize's region of interest on this axis (normalized start and end). */
  roi?: [number, number];
}

/** Source coordinate of output position `position` (ONNX coordinate_transformation_mode). */
export function sourceCoordinate(mode: string, position: number, axis: AxisResize): number {
  const { input, output, scale } = axis;
  switch (mode) {
    case 'half_pixel':
      return (position + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = output / (scale * input);
      const offset = (input / 2) * (1 - adjustment);
      return offset + (position + 0.5) / scale - 0.5;
    }
    case 'pytorch_half_pixel':
      return output > 1 ? (position + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return output === 1 ? 0 : (position * (input - 1)) / (output - 1);
    case 'asymmetric':
      return position / scale;
    case 'tf_crop_and_resize': {
      const [start, end] = axis.roi ?? [0, 1];
      return output > 1 ? start * (input - 1) + (position * (end - start) * (input - 1)) / (output - 1) : 0.5 * (start + end) * (input - 1);
    }
    default:
      throw new UnsupportedOpError(`Resize gradient: coordinate_transformation_mode '${mode}' is not supported`, { op: 'Resize' });
  }
}

function nearestIndex(coordinate: number, nearestMode: string): number {
  switch (nearestMode) {
    case 'floor':
      return Math.floor(coordinate);
    case 'ceil':
      return Math.ceil(coordinate);
    case 'round_prefer_ceil':
      return Math.floor(coordinate + 0.5);
    default: // round_prefer_floor
      return Number.isInteger(coordinate - 0.5) ? Math.floor(coordinate) : Math.round(coordinate);
  }
}

/** The (out × in) interpolation matrix of one axis, row-major. */
export function interpolationMatrix(options: { axis: AxisResize; mode: string; transform: string; nearestMode: string }): Float64Array {
  const { axis, mode, transform, nearestMode } = options;
  const matrix = new Float64Array(axis.output * axis.input);
  const clamp = (index: number) => Math.min(Math.max(index, 0), axis.input - 1);
  for (let position = 0; position < axis.output; position++) {
    const coordinate = sourceCoordinate(transform, position, axis);
    const row = position * axis.input;
    // tf_crop_and_resize: outside the input the output is extrapolation_value (no gradient).
    if (transform === 'tf_crop_and_resize' && (coordinate < 0 || coordinate > axis.input - 1)) continue;
    if (mode === 'nearest') {
      matrix[row + clamp(nearestIndex(coordinate, nearestMode))] = 1;
      continue;
    }
    const lower = Math.floor(coordinate);
    const fraction = coordinate - lower;
    matrix[row + clamp(lower)] = (matrix[row + clamp(lower)] as number) + (1 - fraction);
    matrix[row + clamp(lower + 1)] = (matrix[row + clamp(lower + 1)] as number) + fraction;
  }
  return matrix;
}

/** Per-axis input/output sizes and scales (scales input, else sizes with the aspect-ratio policy). */
function axisResizes(context: GradientContext): AxisResize[] {
  const x = inputAt(context, 0);
  const y = context.outputs[0] as Tensor;
  const listed = ((context.attrs.axes as readonly number[] | undefined) ?? []).map((axis) => positiveAxis(axis, x.rank));
  const axes = listed.length > 0 ? listed : x.shape.map((_, axis) => axis);
  const scales = context.inputs[2] && context.inputs[2].size > 0 ? Array.from(toNumberArray(context.inputs[2].data)) : undefined;
  const roi = context.inputs[1] && context.inputs[1].size > 0 ? Array.from(toNumberArray(context.inputs[1].data)) : undefined;
  const ratios = axes.map((axis) => (y.shape[axis] as number) / (x.shape[axis] as number));
  const policy = String(context.attrs.keep_aspect_ratio_policy ?? 'stretch');
  const common = policy === 'not_larger' ? Math.min(...ratios) : policy === 'not_smaller' ? Math.max(...ratios) : undefined;
  return x.shape.map((input, axis) => {
    const position = axes.indexOf(axis);
    const output = y.shape[axis] as number;
    if (position < 0) return { input, output, scale: 1 };
    const scale = scales ? (scales[position] as number) : (common ?? (ratios[position] as number));
    const region: [number, number] | undefined = roi ? [roi[position] as number, roi[position + axes.length] as number] : undefined;
    return { input, output, scale, roi: region };
  });
}

// x: (...), y: (...) with each axis resized independently
export const resizeGradient: GradientFunction = (context) => {
  const mode = String(context.attrs.mode ?? 'nearest');
  const transform = String(context.attrs.coordinate_transformation_mode ?? 'half_pixel');
  const nearestMode = String(context.attrs.nearest_mode ?? 'round_prefer_floor');
  const resizes = axisResizes(context);
  if ((mode !== 'nearest' && mode !== 'linear') || (Number(context.attrs.antialias ?? 0) !== 0 && resizes.some((axis) => axis.scale < 1))) {
    throw new UnsupportedOpError(`Resize gradient: mode '${mode}' (antialias ${context.attrs.antialias ?? 0}) is not supported; use nearest or linear`, { op: 'Resize' });
  }
  let gradient = outputGradient(context);
  resizes.forEach((axis, index) => {
    if (axis.input === axis.output && axis.scale === 1) return;
    const matrix = interpolationMatrix({ axis, mode, transform, nearestMode });
    // matrixT: (in, out); gradient viewed as (before, out, after) → (before, in, after)
    const matrixTensor = new Tensor(fromNumbers(gradient.dtype, [axis.output, axis.input], matrix));
    const shape = [...gradient.shape];
    const grouped = F.reshape(gradient, [product(shape, 0, index), axis.output, product(shape, index + 1)]);
    shape[index] = axis.input;
    gradient = F.reshape(F.matmul(F.transpose(matrixTensor, [1, 0]), grouped), shape);
  });
  return [gradient, undefined, undefined, undefined];
};
