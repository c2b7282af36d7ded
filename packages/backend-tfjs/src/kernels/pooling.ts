// MaxPool / AveragePool (1-D and 2-D; pads, auto_pad, ceil_mode, strides, MaxPool dilations,
// count_include_pad) and GlobalAveragePool. Windows run on NHWC tensors padded on the host's
// plan: −∞ for max, zeros plus an explicit per-window divisor for average.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html, onnx__AveragePool.html
import { type WindowAttrs, resolvePads } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { type Window2d, to4d, window2d } from './convolution.js';
import { intAttr, intsAttr, stringAttr } from './helpers.js';

interface AxisPlan {
  inSize: number;
  begin: number;
  end: number;
  /** Extra end padding so ceil_mode's last window fits. */
  extra: number;
  out: number;
}

function planAxis(window: Window2d, axis: number, options: { inSize: number; begin: number; end: number; ceil: boolean }): AxisPlan {
  const { inSize, begin, end, ceil } = options;
  const stride = window.strides[axis] as number;
  const effective = (window.dilations[axis] as number) * ((window.kernel[axis] as number) - 1) + 1;
  const span = inSize + begin + end - effective;
  let out = ceil ? Math.ceil(span / stride) + 1 : Math.floor(span / stride) + 1;
  // the last window must start inside the input or the begin padding
  if (ceil && (out - 1) * stride >= inSize + begin) out--;
  const extra = Math.max(0, (out - 1) * stride + effective - (inSize + begin + end));
  return { inSize, begin, end, extra, out };
}

function planPool(call: KernelCall) {
  const x = call.input(0);
  const spatialRank = x.shape.length - 2;
  const window = window2d(call, spatialRank, intsAttr(call, 'kernel_shape'));
  const input = to4d(x.tensor());
  const autoPad = stringAttr(call, 'auto_pad', 'NOTSET') as WindowAttrs['autoPad'];
  const pads = resolvePads({ kernel: [...window.kernel], strides: [...window.strides], dilations: [...window.dilations], pads: window.pads, autoPad }, input.shape.slice(2));
  const ceil = intAttr(call, 'ceil_mode', 0) !== 0;
  const axes = [0, 1].map((axis) => planAxis(window, axis, { inSize: input.shape[axis + 2] as number, begin: pads[axis] as number, end: pads[axis + 2] as number, ceil }));
  // x: (N, C, H, W) → (N, H, W, C)
  return { x, spatialRank, window, axes, nhwc: tf.transpose(input, [0, 2, 3, 1]) as tf.Tensor4D };
}

function padFor(nhwc: tf.Tensor4D, axes: AxisPlan[], value: number): tf.Tensor4D {
  const [h, w] = axes as [AxisPlan, AxisPlan];
  return tf.pad(nhwc, [[0, 0], [h.begin, h.end + h.extra], [w.begin, w.end + w.extra], [0, 0]], value);
}

function finish(call: KernelCall, y: tf.Tensor4D, axes: AxisPlan[], spatialRank: number): TfjsOutput[] {
  const cropped = tf.slice(y, [0, 0, 0, 0], [-1, axes[0]!.out, axes[1]!.out, -1]);
  const nchw = tf.transpose(cropped, [0, 3, 1, 2]);
  return [like(call.input(0), spatialRank === 1 ? tf.squeeze(nchw, [2]) : nchw)];
}

/** Max over the k_h·k_w dilated taps, each a strided slice of the padded input. */
function dilatedMax(padded: tf.Tensor4D, window: Window2d, axes: AxisPlan[]): tf.Tensor4D {
  let result: tf.Tensor4D | undefined;
  for (let i = 0; i < window.kernel[0]; i++)
    for (let j = 0; j < window.kernel[1]; j++) {
      const begin = [0, i * window.dilations[0], j * window.dilations[1], 0];
      const end = [padded.shape[0], begin[1]! + (axes[0]!.out - 1) * window.strides[0] + 1, begin[2]! + (axes[1]!.out - 1) * window.strides[1] + 1, padded.shape[3]];
      const tap = tf.stridedSlice(padded, begin, end, [1, window.strides[0], window.strides[1], 1]) as tf.Tensor4D;
      result = result ? (tf.maximum(result, tap) as tf.Tensor4D) : tap;
    }
  return result as tf.Tensor4D;
}

function maxPool(call: KernelCall): TfjsOutput[] {
  if (call.outputCount > 1) call.decline('MaxPool Indices output (tfjs has no argmax pooling on every backend)');
  const { spatialRank, window, axes, nhwc } = planPool(call);
  const padded = padFor(nhwc, axes, Number.NEGATIVE_INFINITY);
  const dilated = window.dilations.some((d) => d > 1);
  const y = dilated ? dilatedMax(padded, window, axes) : tf.maxPool(padded, window.kernel, window.strides, 'valid');
  return finish(call, y, axes, spatialRank);
}

/** Per-output divisor along one axis: window overlap with the input (or input + explicit pads). */
function divisors(plan: AxisPlan, kernel: number, stride: number, includePad: boolean): number[] {
  const low = includePad ? -plan.begin : 0;
  const high = includePad ? plan.inSize + plan.end : plan.inSize;
  return Array.from({ length: plan.out }, (_, index) => {
    const start = index * stride - plan.begin;
    return Math.max(0, Math.min(start + kernel, high) - Math.max(start, low));
  });
}

function averagePool(call: KernelCall): TfjsOutput[] {
  const { spatialRank, window, axes, nhwc } = planPool(call);
  if (window.dilations.some((d) => d > 1)) call.decline('dilated AveragePool');
  const includePad = intAttr(call, 'count_include_pad', 0) !== 0;
  const averaged = tf.avgPool(padFor(nhwc, axes, 0), window.kernel, window.strides, 'valid');
  const cropped = tf.slice(averaged, [0, 0, 0, 0], [-1, axes[0]!.out, axes[1]!.out, -1]);
  const [rows, columns] = [0, 1].map((axis) => divisors(axes[axis]!, window.kernel[axis]!, window.strides[axis]!, includePad));
  // sum = average · window size; mean over the counted elements = sum / divisor
  const windowSize = window.kernel[0] * window.kernel[1];
  const scale = tf.reshape(tf.div(windowSize, tf.outerProduct(tf.tensor1d(rows!), tf.tensor1d(columns!))), [1, axes[0]!.out, axes[1]!.out, 1]);
  return finish(call, tf.mul(cropped, scale) as tf.Tensor4D, axes, spatialRank);
}

export const POOLING_KERNELS: readonly TfjsKernelDefinition[] = [
  defineTfjsKernel({ op: 'MaxPool', dtypes: FLOAT, kernel: maxPool }),
  defineTfjsKernel({ op: 'AveragePool', dtypes: FLOAT, kernel: averagePool }),
  defineTfjsKernel({
    op: 'GlobalAveragePool',
    dtypes: FLOAT,
    kernel: (call) => {
      const x = call.input(0);
      const spatial = x.shape.slice(2).map((_, index) => index + 2);
      return [like(x, tf.mean(x.tensor(), spatial, true))];
    },
  }),
];
