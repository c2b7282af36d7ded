// Index-based data movement: Slice (negative starts/ends, clamping, any step), Gather (negative
// indices) and Pad (constant / reflect / edge / wrap, negative pads crop, optional axes). Index
// maps are computed on the host with ONNX's rules and applied with tf.slice / tf.gather / tf.pad.
// reference: https://onnx.ai/onnx/operators/onnx__Slice.html, onnx__Gather.html, onnx__Pad.html
import { ShapeError, readNumber, sliceCount } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { ALL_TFJS, type KernelCall, NUMERIC, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { axisOf, stringAttr } from './helpers.js';

/** Source positions Slice selects along a dim of size `dim` (ONNX clamping rules). */
function sliceIndices(dim: number, start: number, end: number, step: number): number[] {
  let first = start < 0 ? start + dim : start;
  first = step > 0 ? Math.min(Math.max(first, 0), dim) : Math.min(Math.max(first, 0), dim - 1);
  const count = sliceCount(dim, start, end, step);
  return Array.from({ length: count }, (_, index) => first + index * step);
}

function slice(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const rank = x.shape.length;
  const starts = call.input(1).numbers();
  const ends = call.input(2).numbers();
  const axes = call.inputs[3]?.numbers() ?? starts.map((_, index) => index);
  const steps = call.inputs[4]?.numbers() ?? starts.map(() => 1);
  let y = x.tensor();
  axes.forEach((rawAxis, index) => {
    const axis = axisOf(call, rawAxis, rank);
    const step = steps[index] as number;
    if (step === 0) throw new ShapeError(`Slice (node '${call.node.name}'): step 0 on axis ${axis}`, { op: 'Slice', node: call.node.name });
    const picks = sliceIndices(x.shape[axis] as number, starts[index] as number, ends[index] as number, step);
    y = takeAlong(y, axis, picks);
  });
  return [like(x, y)];
}

/** Takes positions `picks` along `axis`: a tf.slice when they are contiguous ascending, else tf.gather. */
function takeAlong(x: tf.Tensor, axis: number, picks: readonly number[]): tf.Tensor {
  const first = picks[0] ?? 0;
  const contiguous = picks.every((value, index) => value === first + index);
  if (contiguous) {
    const begin = x.shape.map((_, index) => (index === axis ? first : 0));
    const size = x.shape.map((dim, index) => (index === axis ? picks.length : dim));
    return tf.slice(x, begin, size);
  }
  return tf.gather(x, tf.tensor1d([...picks], 'int32'), axis);
}

function gather(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const indices = call.input(1);
  const axis = axisOf(call, (call.attrs.axis as number | undefined) ?? 0, x.shape.length);
  const dim = x.shape[axis] as number;
  const positions = new Int32Array(indices.data.data.length);
  for (let index = 0; index < positions.length; index++) {
    const value = readNumber(indices.data, index);
    if (value < -dim || value >= dim) {
      throw new ShapeError(`Gather (node '${call.node.name}'): index ${value} out of range for axis ${axis} of size ${dim}`, { op: 'Gather', node: call.node.name });
    }
    positions[index] = value < 0 ? value + dim : value;
  }
  return [like(x, tf.gather(x.tensor(), tf.tensor(positions, [...indices.shape], 'int32'), axis))];
}

/** Source index of padded position `position` (may be negative) along a dim of `size`. */
function padSource(mode: string, position: number, size: number): number {
  if (mode === 'edge') return Math.min(Math.max(position, 0), size - 1);
  if (mode === 'wrap') return ((position % size) + size) % size;
  // reflect: mirror without repeating the edge, period 2·(size − 1)
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const folded = ((position % period) + period) % period;
  return folded < size ? folded : period - folded;
}

function pad(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const rank = x.shape.length;
  const mode = stringAttr(call, 'mode', 'constant');
  if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) call.decline(`Pad mode '${mode}'`);
  const pads = call.input(1).numbers();
  const axes = (call.inputs[3]?.numbers() ?? Array.from({ length: rank }, (_, axis) => axis)).map((axis) => axisOf(call, axis, rank));
  const constant = call.inputs[2] && call.inputs[2].shape.length >= 0 && call.inputs[2].data.data.length > 0 ? readNumber(call.inputs[2].data, 0) : 0;
  let y = x.tensor();
  axes.forEach((axis, index) => {
    const begin = pads[index] as number;
    const end = pads[index + axes.length] as number;
    const size = x.shape[axis] as number;
    const outSize = size + begin + end;
    if (mode !== 'constant') {
      if (size === 0 && outSize > 0) call.decline(`Pad mode '${mode}' on an empty axis`);
      y = tf.gather(y, tf.tensor1d(Array.from({ length: outSize }, (_, out) => padSource(mode, out - begin, size)), 'int32'), axis);
      return;
    }
    const kept = Array.from({ length: size }, (_, source) => source).slice(Math.max(0, -begin), size - Math.max(0, -end));
    y = takeAlong(y, axis, kept);
    const widths = y.shape.map((): [number, number] => [0, 0]);
    widths[axis] = [Math.max(0, begin), Math.max(0, end)];
    y = tf.pad(y, widths, constant);
  });
  return [like(x, y)];
}

export const SLICING_KERNELS: readonly TfjsKernelDefinition[] = [
  defineTfjsKernel({ op: 'Slice', dtypes: ALL_TFJS, kernel: slice }),
  defineTfjsKernel({ op: 'Gather', dtypes: ALL_TFJS, kernel: gather }),
  defineTfjsKernel({ op: 'Pad', dtypes: NUMERIC, kernel: pad }),
];
