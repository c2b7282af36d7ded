// Sliding-window arithmetic shared by Conv, ConvTranspose and the pooling ops: attribute
// resolution (kernel_shape, strides, dilations, pads, auto_pad) and output-size formulas.
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__MaxPool.html (ceil_mode)
import type { InferenceContext } from '../op-schema.js';
import type { Dim } from '../shape.js';
import { freshDim, intsAttr, requireChoice, shapeError } from './infer-helpers.js';

export const AUTO_PAD_MODES = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] as const;
export type AutoPad = (typeof AUTO_PAD_MODES)[number];

export interface WindowAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [x1_begin, x2_begin, ..., x1_end, x2_end, ...] as in ONNX. */
  pads: number[];
  autoPad: AutoPad;
}

function listOrDefault(context: InferenceContext, name: string, length: number, fallback: number): number[] {
  const values = intsAttr(context, name);
  if (values.length === 0) return new Array<number>(length).fill(fallback);
  if (values.length !== length) {
    shapeError(context, `attribute ${name} [${values.join(', ')}] must have ${length} entries`);
  }
  return values;
}

/** Reads kernel_shape (or `kernel` from weights), strides, dilations, pads and auto_pad. */
export function windowAttrs(context: InferenceContext, spatialRank: number, kernel?: readonly Dim[]): WindowAttrs {
  const autoPad = requireChoice(context, 'auto_pad', AUTO_PAD_MODES) as AutoPad;
  const declared = intsAttr(context, 'kernel_shape');
  let kernelShape: number[];
  if (declared.length > 0) {
    if (declared.length !== spatialRank) shapeError(context, `kernel_shape [${declared.join(', ')}] must have ${spatialRank} entries`);
    kernel?.forEach((dim, axis) => {
      if (typeof dim === 'number' && dim !== declared[axis]) {
        shapeError(context, `kernel_shape [${declared.join(', ')}] disagrees with the weight's spatial dims [${kernel.join(', ')}]`);
      }
    });
    kernelShape = declared;
  } else if (kernel?.every((dim) => typeof dim === 'number')) {
    kernelShape = kernel as number[];
  } else if (kernel) {
    kernelShape = kernel.map(() => Number.NaN);
  } else {
    shapeError(context, 'attribute kernel_shape is required');
  }
  const strides = listOrDefault(context, 'strides', spatialRank, 1);
  const dilations = listOrDefault(context, 'dilations', spatialRank, 1);
  const pads = autoPad === 'NOTSET' ? listOrDefault(context, 'pads', spatialRank * 2, 0) : new Array<number>(spatialRank * 2).fill(0);
  if (strides.some((value) => value < 1) || dilations.some((value) => value < 1)) {
    shapeError(context, `strides [${strides.join(', ')}] and dilations [${dilations.join(', ')}] must be >= 1`);
  }
  return { kernel: kernelShape, strides, dilations, pads, autoPad };
}

/** Output size of one spatial axis of a forward window op (Conv / pooling). */
export function windowOutputDim(
  context: InferenceContext,
  window: WindowAttrs,
  options: { axis: number; inputDim: Dim; spatialRank: number; ceilMode?: boolean; outputAxis: number },
): Dim {
  const { axis, inputDim } = options;
  const kernel = window.kernel[axis] as number;
  if (typeof inputDim !== 'number' || Number.isNaN(kernel)) return freshDim(context, options.outputAxis);
  const stride = window.strides[axis] as number;
  const effective = (window.dilations[axis] as number) * (kernel - 1) + 1;
  if (window.autoPad === 'SAME_UPPER' || window.autoPad === 'SAME_LOWER') return Math.ceil(inputDim / stride);
  const padBegin = window.pads[axis] as number;
  const padEnd = window.pads[axis + options.spatialRank] as number;
  const span = inputDim + padBegin + padEnd - effective;
  if (span < 0) {
    shapeError(context, `spatial axis ${axis}: padded input ${inputDim}+${padBegin}+${padEnd} is smaller than the window ${effective}`);
  }
  if (!options.ceilMode) return Math.floor(span / stride) + 1;
  let output = Math.ceil(span / stride) + 1;
  // the last window must start inside the input or left padding (ONNX / PyTorch rule)
  if ((output - 1) * stride >= inputDim + padBegin) output--;
  return output;
}

/**
 * The explicit [begin..., end...] pads an auto_pad mode implies for a forward window op
 * (SAME_UPPER puts the extra pad at the end, SAME_LOWER at the beginning). Kernels use this.
 */
export function resolvePads(window: WindowAttrs, inputSpatial: readonly number[]): number[] {
  const rank = inputSpatial.length;
  if (window.autoPad !== 'SAME_UPPER' && window.autoPad !== 'SAME_LOWER') return window.pads.slice();
  const pads = new Array<number>(rank * 2).fill(0);
  inputSpatial.forEach((size, axis) => {
    const stride = window.strides[axis] as number;
    const effective = (window.dilations[axis] as number) * ((window.kernel[axis] as number) - 1) + 1;
    const output = Math.ceil(size / stride);
    const total = Math.max(0, (output - 1) * stride + effective - size);
    const small = Math.floor(total / 2);
    const large = total - small;
    pads[axis] = window.autoPad === 'SAME_UPPER' ? small : large;
    pads[axis + rank] = window.autoPad === 'SAME_UPPER' ? large : small;
  });
  return pads;
}
