// Conv and ConvTranspose for 1-D and 2-D inputs in NCHW (ONNX layout), run as tfjs NHWC ops:
// explicit/auto pads via tf.pad, groups as depthwise (group = C) or per-group split, stride
// together with dilation as a stride-1 dilated conv then subsampling (tfjs allows only one).
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__ConvTranspose.html
import { type WindowAttrs, resolvePads } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { intAttr, intsAttr, stringAttr } from './helpers.js';

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
}

/** Spatial attrs lifted to 2-D (1-D ops get a leading H of 1). */
export function window2d(call: KernelCall, spatialRank: number, kernel: readonly number[]): Window2d & { pads: number[] } {
  if (spatialRank !== 1 && spatialRank !== 2) call.decline(`${spatialRank}-D ${call.node.op} (1-D and 2-D only)`);
  const list = (name: string, fallback: number, length = spatialRank) => {
    const values = intsAttr(call, name);
    return values.length > 0 ? values : new Array<number>(length).fill(fallback);
  };
  const lift = (values: number[], pad: number): [number, number] => (spatialRank === 1 ? [pad, values[0] as number] : (values as [number, number]));
  const autoPad = stringAttr(call, 'auto_pad', 'NOTSET') as WindowAttrs['autoPad'];
  const explicit = autoPad === 'NOTSET' ? list('pads', 0, spatialRank * 2) : new Array<number>(spatialRank * 2).fill(0);
  const pads = spatialRank === 1 ? [0, explicit[0] as number, 0, explicit[1] as number] : explicit;
  return { kernel: lift([...kernel], 1), strides: lift(list('strides', 1), 1), dilations: lift(list('dilations', 1), 1), pads };
}

/** (N, C, L) → (N, C, 1, L) so 1-D ops reuse the 2-D path. */
export function to4d(x: tf.Tensor): tf.Tensor4D {
  return (x.rank === 3 ? tf.expandDims(x, 2) : x) as tf.Tensor4D;
}

function convGroup(x: tf.Tensor4D, w: tf.Tensor4D, window: Window2d, depthwise: boolean): tf.Tensor4D {
  const both = window.strides.some((s) => s > 1) && window.dilations.some((d) => d > 1);
  const strides: [number, number] = both ? [1, 1] : window.strides;
  let y: tf.Tensor4D;
  if (depthwise) {
    // w (C·mult, 1, kh, kw) → (kh, kw, C, mult)
    const [outChannels, , kh, kw] = w.shape;
    const channels = x.shape[3];
    const filter = tf.transpose(tf.reshape(w, [channels, outChannels / channels, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
    y = tf.depthwiseConv2d(x, filter, strides, 'valid', 'NHWC', window.dilations);
  } else {
    // w (M, C/g, kh, kw) → (kh, kw, C/g, M)
    y = tf.conv2d(x, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, strides, 'valid', 'NHWC', window.dilations);
  }
  return both ? (tf.stridedSlice(y, [0, 0, 0, 0], y.shape, [1, window.strides[0], window.strides[1], 1]) as tf.Tensor4D) : y;
}

function conv(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const w = call.input(1);
  const spatialRank = x.shape.length - 2;
  const group = intAttr(call, 'group', 1);
  const window = window2d(call, spatialRank, w.shape.slice(2));
  const input = to4d(x.tensor());
  const pads = resolvePads({ ...window, kernel: [...window.kernel], strides: [...window.strides], dilations: [...window.dilations], autoPad: stringAttr(call, 'auto_pad', 'NOTSET') as WindowAttrs['autoPad'] }, input.shape.slice(2));
  // x: (N, C, H, W) → padded (N, H', W', C)
  const padded = tf.pad(tf.transpose(input, [0, 2, 3, 1]), [[0, 0], [pads[0] as number, pads[2] as number], [pads[1] as number, pads[3] as number], [0, 0]]) as tf.Tensor4D;
  const weights = to4d(w.tensor());
  const channels = padded.shape[3];
  let y: tf.Tensor4D;
  if (group === 1) y = convGroup(padded, weights, window, false);
  else if (group === channels && weights.shape[1] === 1) y = convGroup(padded, weights, window, true);
  else {
    const xs = tf.split(padded, group, 3) as tf.Tensor4D[];
    const ws = tf.split(weights, group, 0);
    y = tf.concat(xs.map((part, index) => convGroup(part, ws[index] as tf.Tensor4D, window, false)), 3) as tf.Tensor4D;
  }
  if (call.inputs[2]) y = tf.add(y, call.inputs[2].tensor()) as tf.Tensor4D;
  const nchw = tf.transpose(y, [0, 3, 1, 2]);
  return [like(x, spatialRank === 1 ? tf.squeeze(nchw, [2]) : nchw)];
}

/** Begin/end pads of one ConvTranspose axis from output_shape or auto_pad (ONNX rules). */
function transposePads(call: KernelCall, options: { axis: number; inSize: number; kernel: number; stride: number; outputPadding: number; spatialRank: number }): [number, number] {
  const autoPad = stringAttr(call, 'auto_pad', 'NOTSET');
  const outputShape = intsAttr(call, 'output_shape').slice(-options.spatialRank);
  const { axis, inSize, kernel, stride, outputPadding, spatialRank } = options;
  const wanted = outputShape.length > 0 ? (outputShape[axis] as number) : autoPad.startsWith('SAME') ? inSize * stride : undefined;
  if (wanted === undefined) {
    if (autoPad === 'VALID') return [0, 0];
    const pads = intsAttr(call, 'pads');
    return [pads[axis] ?? 0, pads[axis + spatialRank] ?? 0];
  }
  const total = stride * (inSize - 1) + outputPadding + kernel - wanted;
  const half = Math.floor(total / 2);
  return autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
}

/**
 * Crops the full transposed result y: (N, H, W, C) by the ONNX pads of each spatial axis after
 * adding output_padding zeros at the end. Negative pads (an output_shape larger than the full
 * result) add zeros on that side instead: total = -1 under NOTSET puts the zero row at the end.
 */
function applyTransposePads(call: KernelCall, y: tf.Tensor4D, options: { pads: [number, number][]; outputPadding: number[] }): tf.Tensor4D {
  const { pads, outputPadding } = options;
  const grow = pads.map(([begin, end], axis) => [Math.max(0, -begin), Math.max(0, -end) + (outputPadding[axis] as number)] as [number, number]);
  const grown = tf.pad(y, [[0, 0], grow[0]!, grow[1]!, [0, 0]]) as tf.Tensor4D;
  const crop = pads.map(([begin, end]) => [Math.max(0, begin), Math.max(0, end)] as [number, number]);
  const size = [-1, grown.shape[1] - crop[0]![0] - crop[0]![1], grown.shape[2] - crop[1]![0] - crop[1]![1], -1];
  if (size[1]! < 0 || size[2]! < 0) call.decline('ConvTranspose pads exceed the output');
  return tf.slice(grown, [0, crop[0]![0], crop[1]![0], 0], size);
}

function convTranspose(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const w = call.input(1);
  const spatialRank = x.shape.length - 2;
  const group = intAttr(call, 'group', 1);
  const window = window2d(call, spatialRank, w.shape.slice(2));
  if (window.dilations.some((d) => d !== 1)) call.decline('dilated ConvTranspose (tfjs conv2dTranspose has no dilation)');
  const input = tf.transpose(to4d(x.tensor()), [0, 2, 3, 1]) as tf.Tensor4D; // (N, H, W, C)
  const weights = to4d(w.tensor()); // (C, M/g, kh, kw)
  const outputPadding = intsAttr(call, 'output_padding');
  const liftedPadding = spatialRank === 1 ? [0, outputPadding[0] ?? 0] : [outputPadding[0] ?? 0, outputPadding[1] ?? 0];
  const full = [0, 1].map((axis) => window.strides[axis]! * ((input.shape[axis + 1] as number) - 1) + window.kernel[axis]!);
  const xs = group === 1 ? [input] : (tf.split(input, group, 3) as tf.Tensor4D[]);
  const ws = group === 1 ? [weights] : tf.split(weights, group, 0);
  const parts = xs.map((part, index) => {
    const filter = tf.transpose(ws[index] as tf.Tensor4D, [2, 3, 1, 0]) as tf.Tensor4D; // (kh, kw, M/g, C/g)
    return tf.conv2dTranspose(part, filter, [input.shape[0], full[0]!, full[1]!, filter.shape[2]], window.strides, 'valid');
  });
  const full4d = group === 1 ? (parts[0] as tf.Tensor4D) : (tf.concat(parts, 3) as tf.Tensor4D);
  const pads = [0, 1].map((axis) => {
    if (spatialRank === 1 && axis === 0) return [0, 0] as [number, number];
    const spatialAxis = spatialRank === 1 ? 0 : axis;
    const options = { axis: spatialAxis, inSize: input.shape[axis + 1] as number, kernel: window.kernel[axis]!, stride: window.strides[axis]!, outputPadding: liftedPadding[axis]!, spatialRank };
    return transposePads(call, options);
  });
  let y = applyTransposePads(call, full4d, { pads, outputPadding: liftedPadding });
  if (call.inputs[2]) y = tf.add(y, call.inputs[2].tensor()) as tf.Tensor4D;
  const nchw = tf.transpose(y, [0, 3, 1, 2]);
  return [like(x, spatialRank === 1 ? tf.squeeze(nchw, [2]) : nchw)];
}

export const CONVOLUTION_KERNELS: readonly TfjsKernelDefinition[] = [
  defineTfjsKernel({ op: 'Conv', dtypes: FLOAT, kernel: conv }),
  defineTfjsKernel({ op: 'ConvTranspose', dtypes: FLOAT, kernel: convTranspose }),
];
