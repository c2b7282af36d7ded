// Gradients of ONNX indexing ops: Slice (with steps, negative steps and clamping as in the ONNX
// doc), Gather (scatter-add via one-hot MatMul), TopK (values scattered back to their indices)
// and Pad (constant: slice the gradient; edge/reflect/wrap: scatter-add per padded axis).
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, positiveAxis, readInts, scatterAddAlongAxis, scatterAddElements } from './helpers.js';

/** The input positions one Slice axis selects (ONNX clamping rules). */
export function sliceIndices(options: { start: number; end: number; step: number; dim: number }): number[] {
  const { step, dim } = options;
  let start = options.start < 0 ? options.start + dim : options.start;
  let end = options.end < 0 ? options.end + dim : options.end;
  if (step > 0) {
    start = Math.min(Math.max(start, 0), dim);
    end = Math.min(Math.max(end, 0), dim);
  } else {
    start = Math.min(Math.max(start, 0), dim - 1);
    end = Math.min(Math.max(end, -1), dim - 1);
  }
  const indices: number[] = [];
  for (let index = start; step > 0 ? index < end : index > end; index += step) indices.push(index);
  return indices;
}

export const sliceGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const starts = readInts(context.inputs[1]) ?? [];
  const ends = readInts(context.inputs[2]) ?? [];
  const axes = (readInts(context.inputs[3]) ?? starts.map((_, index) => index)).map((axis) => positiveAxis(axis, x.rank));
  const steps = readInts(context.inputs[4]) ?? starts.map(() => 1);
  let gradient = outputGradient(context);
  const pads = new Array<number>(2 * x.rank).fill(0);
  const shape = [...gradient.shape];
  axes.forEach((axis, position) => {
    const dim = x.shape[axis] as number;
    const step = steps[position] as number;
    const indices = sliceIndices({ start: starts[position] as number, end: ends[position] as number, step, dim });
    if (step === 1 && indices.length > 0) {
      pads[axis] = indices[0] as number;
      pads[axis + x.rank] = dim - (indices[0] as number) - indices.length;
      return;
    }
    shape[axis] = dim;
    gradient = scatterAddAlongAxis({ gradient, indices: F.int64(indices), axis, outputShape: shape });
  });
  if (pads.some((amount) => amount !== 0)) gradient = F.pad(gradient, pads);
  return [gradient];
};

// y: data.shape[:axis] + indices.shape + data.shape[axis+1:]
export const gatherGradient: GradientFunction = (context) => {
  const [data, indices] = [inputAt(context, 0), inputAt(context, 1)];
  const axis = positiveAxis(Number(context.attrs.axis ?? 0), data.rank);
  return [scatterAddAlongAxis({ gradient: outputGradient(context), indices, axis, outputShape: data.shape }), undefined];
};

// values, indices: x.shape with K on axis
export const topKGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const axis = positiveAxis(Number(context.attrs.axis ?? -1), x.rank);
  const gradient = outputGradient(context, 0);
  const indices = context.outputs[1] as Tensor;
  return [scatterAddElements({ gradient, indices, axis, depth: x.shape[axis] as number }), undefined];
};

/** Source index per output position of one padded axis, for the non-constant modes. */
function padSourceIndices(options: { mode: string; before: number; after: number; dim: number }): number[] {
  const { mode, before, after, dim } = options;
  const sources: number[] = [];
  for (let position = -before; position < dim + after; position++) {
    if (mode === 'edge') sources.push(Math.min(Math.max(position, 0), dim - 1));
    else if (mode === 'wrap') sources.push(((position % dim) + dim) % dim);
    else {
      // reflect (mirror without repeating the edge), period 2 (dim - 1)
      const period = Math.max(2 * (dim - 1), 1);
      const folded = ((position % period) + period) % period;
      sources.push(folded < dim ? folded : period - folded);
    }
  }
  return sources;
}

export const padGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const pads = readInts(context.inputs[1]) ?? [];
  const axes = (readInts(context.inputs[3]) ?? x.shape.map((_, axis) => axis)).map((axis) => positiveAxis(axis, x.rank));
  const mode = String(context.attrs.mode ?? 'constant');
  const gradient = outputGradient(context);
  if (mode !== 'constant') return [padScatter({ gradient, x, pads, axes, mode }), undefined, undefined, undefined];
  const starts = axes.map((_, position) => Math.max(pads[position] as number, 0));
  const ends = axes.map((axis, position) => (gradient.shape[axis] as number) - Math.max(pads[position + axes.length] as number, 0));
  let inner = F.slice(gradient, starts, ends, axes);
  const crops = new Array<number>(2 * x.rank).fill(0);
  axes.forEach((axis, position) => {
    crops[axis] = Math.max(-(pads[position] as number), 0);
    crops[axis + x.rank] = Math.max(-(pads[position + axes.length] as number), 0);
  });
  if (crops.some((amount) => amount !== 0)) inner = F.pad(inner, crops);
  const value = context.inputs[2];
  let valueGradient: Tensor | undefined;
  if (value?.requiresGrad) {
    const padded = F.sub(F.reduceSum(gradient, { keepDims: false }), F.reduceSum(inner, { keepDims: false }));
    valueGradient = F.reshape(padded, value.shape);
  }
  return [inner, undefined, valueGradient, undefined];
};

function padScatter(options: { gradient: Tensor; x: Tensor; pads: number[]; axes: number[]; mode: string }): Tensor {
  const { x, pads, axes, mode } = options;
  let gradient = options.gradient;
  const shape = [...gradient.shape];
  axes.forEach((axis, position) => {
    const dim = x.shape[axis] as number;
    const before = pads[position] as number;
    const after = pads[position + axes.length] as number;
    if (before === 0 && after === 0) return;
    shape[axis] = dim;
    const indices = F.int64(padSourceIndices({ mode, before, after, dim }));
    gradient = scatterAddAlongAxis({ gradient, indices, axis, outputShape: shape });
  });
  return gradient;
}
