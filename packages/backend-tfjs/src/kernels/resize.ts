// Resize, nearest and linear, computed separably axis by axis: the ONNX coordinate transform
// (half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric,
// tf_crop_and_resize) and nearest_mode are evaluated on the host, tfjs gathers and blends.
// tfjs's resizeBilinear/resizeNearestNeighbor cover only some of these modes (and round ties
// differently), so they are not used. cubic and antialias are declined.
// reference: https://onnx.ai/onnx/operators/onnx__Resize.html
import * as tf from '@tensorflow/tfjs-core';
import { type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { axisOf, intAttr, intsAttr, stringAttr } from './helpers.js';

interface AxisResize {
  axis: number;
  inSize: number;
  outSize: number;
  scale: number;
  roiStart: number;
  roiEnd: number;
}

function sourceCoordinate(mode: string, x: number, spec: AxisResize): number {
  const { inSize, outSize, scale } = spec;
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = outSize / (scale * inSize);
      return (inSize / 2) * (1 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    case 'pytorch_half_pixel':
      return outSize > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outSize === 1 ? 0 : (x * (inSize - 1)) / (outSize - 1);
    case 'asymmetric':
      return x / scale;
    default: // tf_crop_and_resize
      return outSize > 1
        ? spec.roiStart * (inSize - 1) + (x * (spec.roiEnd - spec.roiStart) * (inSize - 1)) / (outSize - 1)
        : 0.5 * (spec.roiStart + spec.roiEnd) * (inSize - 1);
  }
}

function roundNearest(mode: string, value: number): number {
  switch (mode) {
    case 'floor':
      return Math.floor(value);
    case 'ceil':
      return Math.ceil(value);
    case 'round_prefer_ceil':
      return Math.round(value);
    default: // round_prefer_floor
      return value - Math.floor(value) === 0.5 ? Math.floor(value) : Math.round(value);
  }
}

/** Target sizes and scales per resized axis from the scales or sizes input. */
function axisSpecs(call: KernelCall, shape: readonly number[]): AxisResize[] {
  const rank = shape.length;
  const declared = intsAttr(call, 'axes');
  const axes = declared.length > 0 ? declared.map((axis) => axisOf(call, axis, rank)) : shape.map((_, axis) => axis);
  const [, roi, scales, sizes] = call.inputs;
  const roiValues = roi?.numbers() ?? [];
  const scaleValues = scales && scales.shape[0] !== 0 ? scales.numbers() : undefined;
  const sizeValues = sizes?.numbers();
  if (!scaleValues && !sizeValues) call.decline('Resize needs scales or sizes');
  return axes.map((axis, index) => {
    const inSize = shape[axis] as number;
    const outSize = scaleValues ? Math.floor(inSize * (scaleValues[index] as number)) : (sizeValues?.[index] as number);
    const scale = scaleValues ? (scaleValues[index] as number) : outSize / inSize;
    return { axis, inSize, outSize, scale, roiStart: roiValues[index] ?? 0, roiEnd: roiValues[index + axes.length] ?? 1 };
  });
}

function checkSupported(call: KernelCall): void {
  const mode = stringAttr(call, 'mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') call.decline(`Resize mode '${mode}'`);
  if (intAttr(call, 'antialias', 0) !== 0) call.decline('Resize antialias');
  if (stringAttr(call, 'keep_aspect_ratio_policy', 'stretch') !== 'stretch') call.decline('Resize keep_aspect_ratio_policy other than stretch');
}

function resize(call: KernelCall): TfjsOutput[] {
  checkSupported(call);
  const x = call.input(0);
  const mode = stringAttr(call, 'mode', 'nearest');
  const transform = stringAttr(call, 'coordinate_transformation_mode', 'half_pixel');
  const nearestMode = stringAttr(call, 'nearest_mode', 'round_prefer_floor');
  const extrapolation = (call.attrs.extrapolation_value as number | undefined) ?? 0;
  const rank = x.shape.length;
  let y = x.tensor();
  let inside: tf.Tensor | undefined;
  for (const spec of axisSpecs(call, x.shape)) {
    if (spec.outSize === spec.inSize && spec.scale === 1 && transform !== 'tf_crop_and_resize') continue;
    const coordinates = Array.from({ length: spec.outSize }, (_, index) => sourceCoordinate(transform, index, spec));
    const clamp = (value: number) => Math.min(Math.max(value, 0), spec.inSize - 1);
    if (mode === 'nearest') {
      y = tf.gather(y, tf.tensor1d(coordinates.map((value) => clamp(roundNearest(nearestMode, value))), 'int32'), spec.axis);
    } else {
      const clamped = coordinates.map(clamp);
      const low = clamped.map((value) => Math.floor(value));
      const high = low.map((value) => Math.min(value + 1, spec.inSize - 1));
      const weightShape = Array.from({ length: rank }, (_, axis) => (axis === spec.axis ? spec.outSize : 1));
      const weight = tf.tensor(clamped.map((value, index) => value - (low[index] as number)), weightShape);
      const lower = tf.gather(y, tf.tensor1d(low, 'int32'), spec.axis);
      const upper = tf.gather(y, tf.tensor1d(high, 'int32'), spec.axis);
      y = tf.add(lower, tf.mul(tf.sub(upper, lower), weight));
    }
    if (transform === 'tf_crop_and_resize') {
      const shape = Array.from({ length: rank }, (_, axis) => (axis === spec.axis ? spec.outSize : 1));
      const mask = tf.tensor(coordinates.map((value) => (value >= 0 && value <= spec.inSize - 1 ? 1 : 0)), shape, 'bool');
      inside = inside ? tf.logicalAnd(inside, mask) : mask;
    }
  }
  if (inside) y = tf.where(tf.broadcastTo(inside, y.shape), y, tf.fill(y.shape, extrapolation));
  return [like(x, y)];
}

export const RESIZE_KERNELS: readonly TfjsKernelDefinition[] = [defineTfjsKernel({ op: 'Resize', dtypes: ['float32', 'int64'], kernel: resize })];
