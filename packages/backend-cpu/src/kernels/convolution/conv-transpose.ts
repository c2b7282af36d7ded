// ConvTranspose: the adjoint of Conv. X: (N, C, D1, …), W: (C, M/group, k1, …), B: (M).
// Output size from output_shape (pads derived, SAME_UPPER puts the extra at the end), from
// auto_pad SAME_* (size = input·stride) or from pads + output_padding. float32 1-D/2-D reuse
// the conv input-gradient GEMM path; the scatter loops below are the reference (1-D to 3-D).
// reference: https://onnx.ai/onnx/operators/onnx__ConvTranspose.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import { conv2dGradInput } from '../../fast/conv2d.js';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatData, intAttribute, intsAttribute, requireInput, requireSameDType, shapeError, stringAttribute } from '../linear/kernel-helpers.js';
import { toConv2dShape } from './conv-setup.js';
import { type SpatialGeometry, liftGeometry } from './spatial-geometry.js';

/** Geometry of the transposed conv: inputSize = X spatial, outputSize = Y spatial. */
function transposeGeometry(xSpatial: readonly number[], kernelSize: readonly number[], attrs: Attributes, context: KernelContext): SpatialGeometry {
  const rank = xSpatial.length;
  const list = (name: string, fill: number, length = rank) => {
    const values = intsAttribute(attrs, name) ?? new Array<number>(length).fill(fill);
    if (values.length !== length) throw shapeError(context, `attribute '${name}' has ${values.length} values, expected ${length}`);
    return values;
  };
  const strides = list('strides', 1);
  const dilations = list('dilations', 1);
  const outputPadding = list('output_padding', 0);
  const pads = list('pads', 0, 2 * rank);
  const autoPad = stringAttribute(attrs, 'auto_pad', 'NOTSET');
  const requested = intsAttribute(attrs, 'output_shape');
  const padsBegin = pads.slice(0, rank);
  const padsEnd = pads.slice(rank);
  const outputSize: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const span = ((kernelSize[axis] as number) - 1) * (dilations[axis] as number) + 1;
    const full = (strides[axis] as number) * ((xSpatial[axis] as number) - 1) + (outputPadding[axis] as number) + span;
    const target = requested ? (requested[requested.length - rank + axis] as number) : autoPad.startsWith('SAME') ? (xSpatial[axis] as number) * (strides[axis] as number) : undefined;
    if (target !== undefined) {
      const total = full - target;
      const half = Math.floor(total / 2);
      padsBegin[axis] = autoPad === 'SAME_UPPER' ? half : total - half;
      padsEnd[axis] = total - (padsBegin[axis] as number);
      outputSize.push(target);
    } else {
      if (autoPad === 'VALID') padsBegin[axis] = padsEnd[axis] = 0;
      outputSize.push(full - (padsBegin[axis] as number) - (padsEnd[axis] as number));
    }
  }
  if (outputSize.some((size) => size < 1)) throw shapeError(context, `invalid output size ${JSON.stringify(outputSize)}`);
  return { inputSize: xSpatial, kernelSize, strides, dilations, padsBegin, padsEnd, outputSize };
}

interface TransposeProblem {
  x: ArrayLike<number>;
  w: ArrayLike<number>;
  batch: number;
  inChannels: number;
  outChannels: number;
  group: number;
  geometry: SpatialGeometry;
}

/** Reference scatter: y[n, g·Mg + m, i·s − p + k·d] += x[n, c, i] · w[c, m, k]. */
function convTransposeReference(problem: TransposeProblem, y: { [index: number]: number }): void {
  const g = liftGeometry(problem.geometry);
  const { batch, inChannels, outChannels, group } = problem;
  const inPerGroup = inChannels / group;
  const outPerGroup = outChannels / group;
  const [inD, inH, inW] = g.inputSize;
  const [outD, outH, outW] = g.outputSize;
  const [kD, kH, kW] = g.kernelSize;
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < inChannels; c++)
      for (let m = 0; m < outPerGroup; m++) {
        const outChannel = Math.floor(c / inPerGroup) * outPerGroup + m;
        const yBase = (n * outChannels + outChannel) * outD * outH * outW;
        const wBase = (c * outPerGroup + m) * kD * kH * kW;
        for (let id = 0; id < inD; id++)
          for (let ih = 0; ih < inH; ih++)
            for (let iw = 0; iw < inW; iw++) {
              const value = problem.x[(((n * inChannels + c) * inD + id) * inH + ih) * inW + iw] as number;
              for (let kd = 0; kd < kD; kd++) {
                const od = id * g.strides[0] - g.padsBegin[0] + kd * g.dilations[0];
                if (od < 0 || od >= outD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const oh = ih * g.strides[1] - g.padsBegin[1] + kh * g.dilations[1];
                  if (oh < 0 || oh >= outH) continue;
                  for (let kw = 0; kw < kW; kw++) {
                    const ow = iw * g.strides[2] - g.padsBegin[2] + kw * g.dilations[2];
                    if (ow < 0 || ow >= outW) continue;
                    const index = yBase + (od * outH + oh) * outW + ow;
                    y[index] = (y[index] as number) + value * (problem.w[wBase + (kd * kH + kh) * kW + kw] as number);
                  }
                }
              }
            }
      }
}

/** ConvTranspose(X, W, B?) → Y; `useFast` false forces the reference scatter. */
export function convTranspose(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext, useFast = true): TensorData {
  const x = requireInput(inputs, 0, context, 'X');
  const w = requireInput(inputs, 1, context, 'W');
  const xData = floatData(x, context, 'X');
  requireSameDType(x, w, context, 'W');
  const group = intAttribute(attrs, 'group', 1);
  const rank = x.shape.length - 2;
  const [batch, inChannels] = x.shape as [number, number];
  if (rank < 1 || rank > 3 || w.shape.length !== x.shape.length || w.shape[0] !== inChannels || group < 1 || inChannels % group !== 0) {
    throw shapeError(context, `X must be (N, C, D1, …) with 1-3 spatial dims and W (C, M/group, k1, …), group=${group}`, [x.shape, w.shape]);
  }
  const outChannels = (w.shape[1] as number) * group;
  const geometry = transposeGeometry(x.shape.slice(2), w.shape.slice(2), attrs, context);
  const { tensor, data: y } = createFloatTensor(x.dtype, [batch, outChannels, ...geometry.outputSize]);
  if (useFast && x.dtype === 'float32' && rank <= 2) {
    // ConvTranspose = Conv's input gradient with Conv's (in, out) swapped.
    const swapped = { inputSize: geometry.outputSize, outputSize: geometry.inputSize };
    const shape = toConv2dShape({ batch, inChannels: outChannels, outChannels: inChannels, group, geometry: { ...geometry, ...swapped }, outputShape: [] });
    conv2dGradInput(shape, xData as Float32Array, w.data as Float32Array, y as Float32Array);
  } else {
    convTransposeReference({ x: xData, w: w.data as Float64Array, batch, inChannels, outChannels, group, geometry }, y);
  }
  const bias = inputs[2];
  if (bias) {
    if (bias.shape.length !== 1 || bias.shape[0] !== outChannels) throw shapeError(context, `B must be (${outChannels})`, [bias.shape]);
    const plane = y.length / (batch * outChannels);
    for (let index = 0; index < y.length; index++) y[index] = (y[index] as number) + (bias.data[Math.floor(index / plane) % outChannels] as number);
  }
  return tensor;
}

export function convTransposeKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  return [convTranspose(inputs, attrs, context)];
}
