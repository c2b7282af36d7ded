// Resolves ONNX Conv / ConvTranspose / pooling attributes (auto_pad, default strides/dilations,
// output_shape) into explicit per-axis pads, strides and dilations for the gradient ops.
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__ConvTranspose.html
import type { Attributes, StaticShape } from '@efficientdl/ir';

export interface ExplicitWindow {
  /** [begin_0, begin_1, ..., end_0, end_1, ...] as in ONNX. */
  pads: number[];
  strides: number[];
  dilations: number[];
}

function listOr(value: unknown, fallback: number[]): number[] {
  return Array.isArray(value) && value.length > 0 ? value.map(Number) : fallback;
}

/**
 * Conv/pool: explicit pads for input spatial dims `inputSpatial` and kernel `kernelSpatial`.
 * SAME_*: output = ceil(in / stride), total pad split with the extra at the end (UPPER) or begin (LOWER).
 */
export function resolveConvWindow(attrs: Attributes, inputSpatial: StaticShape, kernelSpatial: StaticShape): ExplicitWindow {
  const rank = inputSpatial.length;
  const strides = listOr(attrs.strides, new Array(rank).fill(1));
  const dilations = listOr(attrs.dilations, new Array(rank).fill(1));
  const autoPad = String(attrs.auto_pad ?? 'NOTSET');
  if (autoPad === 'VALID') return { pads: new Array(2 * rank).fill(0), strides, dilations };
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') {
    return { pads: listOr(attrs.pads, new Array(2 * rank).fill(0)), strides, dilations };
  }
  const pads = new Array<number>(2 * rank).fill(0);
  for (let axis = 0; axis < rank; axis++) {
    const input = inputSpatial[axis] as number;
    const stride = strides[axis] as number;
    const extent = ((kernelSpatial[axis] as number) - 1) * (dilations[axis] as number) + 1;
    const output = Math.ceil(input / stride);
    const total = Math.max((output - 1) * stride + extent - input, 0);
    const smaller = Math.floor(total / 2);
    pads[axis] = autoPad === 'SAME_UPPER' ? smaller : total - smaller;
    pads[axis + rank] = total - (pads[axis] as number);
  }
  return { pads, strides, dilations };
}

/**
 * ConvTranspose: explicit pads given input spatial dims and the actual output spatial dims.
 * total = stride (in - 1) + output_padding + ((k - 1) d + 1) - out; SAME_UPPER puts the smaller
 * half at the begin, other modes (NOTSET with output_shape, SAME_LOWER) the larger half.
 */
export function resolveConvTransposeWindow(
  attrs: Attributes,
  shapes: { inputSpatial: StaticShape; outputSpatial: StaticShape; kernelSpatial: StaticShape },
): ExplicitWindow {
  const { inputSpatial, outputSpatial, kernelSpatial } = shapes;
  const rank = inputSpatial.length;
  const strides = listOr(attrs.strides, new Array(rank).fill(1));
  const dilations = listOr(attrs.dilations, new Array(rank).fill(1));
  const outputPadding = listOr(attrs.output_padding, new Array(rank).fill(0));
  const autoPad = String(attrs.auto_pad ?? 'NOTSET');
  const hasOutputShape = Array.isArray(attrs.output_shape) && attrs.output_shape.length > 0;
  if (autoPad === 'VALID') return { pads: new Array(2 * rank).fill(0), strides, dilations };
  if (autoPad === 'NOTSET' && !hasOutputShape) {
    return { pads: listOr(attrs.pads, new Array(2 * rank).fill(0)), strides, dilations };
  }
  const pads = new Array<number>(2 * rank).fill(0);
  for (let axis = 0; axis < rank; axis++) {
    const extent = ((kernelSpatial[axis] as number) - 1) * (dilations[axis] as number) + 1;
    const total =
      (strides[axis] as number) * ((inputSpatial[axis] as number) - 1) +
      (outputPadding[axis] as number) +
      extent -
      (outputSpatial[axis] as number);
    const half = Math.floor(total / 2);
    pads[axis] = autoPad === 'SAME_UPPER' ? half : total - half;
    pads[axis + rank] = total - (pads[axis] as number);
  }
  return { pads, strides, dilations };
}
