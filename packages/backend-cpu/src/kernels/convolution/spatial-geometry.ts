// Spatial geometry shared by Conv, ConvTranspose, the pools and the training gradients:
// strides, dilations, begin/end pads (explicit or from auto_pad) and output sizes as ONNX
// defines them (https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__MaxPool.html).
import type { Attributes } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { intsAttribute, shapeError, stringAttribute } from '../linear/kernel-helpers.js';

export interface SpatialGeometry {
  readonly inputSize: readonly number[];
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: readonly number[];
  readonly padsEnd: readonly number[];
  readonly outputSize: readonly number[];
}

export interface GeometryRequest {
  readonly context: KernelContext;
  readonly attrs: Attributes;
  /** Spatial dims of the input: (D1, …, Dn). */
  readonly inputSize: readonly number[];
  /** Spatial dims of the kernel window: (k1, …, kn). */
  readonly kernelSize: readonly number[];
  /** Pooling ceil_mode (convolutions always floor). */
  readonly ceilMode?: boolean;
}

function listOrDefault(context: KernelContext, attrs: Attributes, name: string, rank: number, fallback: number): number[] {
  const values = intsAttribute(attrs, name) ?? new Array<number>(rank).fill(fallback);
  if (values.length !== rank) throw shapeError(context, `attribute '${name}' has ${values.length} values, expected ${rank}`);
  return values;
}

/** One axis of output size for explicit pads, with pooling's ceil_mode rule. */
function explicitOutputSize(inputSize: number, span: number, stride: number, padBegin: number, padEnd: number, ceilMode: boolean): number {
  const room = inputSize + padBegin + padEnd - span;
  if (!ceilMode) return Math.floor(room / stride) + 1;
  let size = Math.ceil(room / stride) + 1;
  // The last window must start inside the input or its begin padding (ONNX/PyTorch rule).
  if ((size - 1) * stride >= inputSize + padBegin) size--;
  return size;
}

/** Resolves strides, dilations, pads and output sizes; throws ShapeError on bad geometry. */
export function resolveGeometry(request: GeometryRequest): SpatialGeometry {
  const { context, attrs, inputSize, kernelSize } = request;
  const rank = inputSize.length;
  const strides = listOrDefault(context, attrs, 'strides', rank, 1);
  const dilations = listOrDefault(context, attrs, 'dilations', rank, 1);
  const pads = listOrDefault(context, attrs, 'pads', 2 * rank, 0);
  const padsBegin = pads.slice(0, rank);
  const padsEnd = pads.slice(rank);
  const autoPad = stringAttribute(attrs, 'auto_pad', 'NOTSET');
  const outputSize: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const input = inputSize[axis] as number;
    const stride = strides[axis] as number;
    const span = ((kernelSize[axis] as number) - 1) * (dilations[axis] as number) + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const size = Math.ceil(input / stride);
      const total = Math.max(0, (size - 1) * stride + span - input);
      const smaller = Math.floor(total / 2);
      padsBegin[axis] = autoPad === 'SAME_UPPER' ? smaller : total - smaller;
      padsEnd[axis] = total - (padsBegin[axis] as number);
      outputSize.push(size);
    } else if (autoPad === 'VALID') {
      padsBegin[axis] = 0;
      padsEnd[axis] = 0;
      outputSize.push(Math.floor((input - span) / stride) + 1);
    } else {
      outputSize.push(explicitOutputSize(input, span, stride, padsBegin[axis] as number, padsEnd[axis] as number, request.ceilMode ?? false));
    }
  }
  if (outputSize.some((size) => size < 1) || strides.some((s) => s < 1) || dilations.some((d) => d < 1)) {
    throw shapeError(context, `invalid geometry: input ${JSON.stringify(inputSize)}, kernel ${JSON.stringify(kernelSize)}, strides ${JSON.stringify(strides)}, pads ${JSON.stringify(pads)} give output ${JSON.stringify(outputSize)}`);
  }
  return { inputSize, kernelSize, strides, dilations, padsBegin, padsEnd, outputSize };
}

/** Pads a per-axis list on the left to 3 axes, so one (D, H, W) loop nest serves 1-D, 2-D and 3-D. */
export function liftTo3d(values: readonly number[], fill: number): [number, number, number] {
  const lifted = [fill, fill, fill, ...values].slice(-3);
  return [lifted[0] as number, lifted[1] as number, lifted[2] as number];
}

/** The geometry with every per-axis list lifted to 3 axes (size/kernel/stride/dilation 1, pad 0). */
export function liftGeometry(geometry: SpatialGeometry): Record<keyof SpatialGeometry, [number, number, number]> {
  return {
    inputSize: liftTo3d(geometry.inputSize, 1),
    kernelSize: liftTo3d(geometry.kernelSize, 1),
    strides: liftTo3d(geometry.strides, 1),
    dilations: liftTo3d(geometry.dilations, 1),
    padsBegin: liftTo3d(geometry.padsBegin, 0),
    padsEnd: liftTo3d(geometry.padsEnd, 0),
    outputSize: liftTo3d(geometry.outputSize, 1),
  };
}
