// Slice(data, starts, ends, axes?, steps?): negative starts/ends count from the end, values are
// clamped to the dim ([0, dim] for positive steps, [-1, dim-1] for negative ones), steps may be
// negative (reverse); axes default to 0..len(starts)-1.
// reference: https://onnx.ai/onnx/operators/onnx__Slice.html
import { type AxisSlice, formatShape, sliceAxis, stridesOf } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  allocateElements,
  elementStorage,
  fromElements,
  readIntegerInput,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from './reshape.js';
import { copyStrided } from './strided-copy.js';

function readSliceInputs(inputs: Parameters<Kernel>[0], context: KernelContext) {
  const starts = readIntegerInput(requireInput(inputs, 1, context), context, 'starts') ?? [];
  const ends = readIntegerInput(requireInput(inputs, 2, context), context, 'ends') ?? [];
  const axes = readIntegerInput(inputs[3], context, 'axes') ?? starts.map((_, index) => index);
  const steps = readIntegerInput(inputs[4], context, 'steps') ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw shapeError(context, `starts/ends/axes/steps lengths differ (${starts.length}, ${ends.length}, ${axes.length}, ${steps.length})`);
  }
  if (steps.some((step) => step === 0)) throw shapeError(context, 'steps must be non-zero');
  return { starts, ends, axes, steps };
}

const sliceKernel: Kernel = (inputs, _attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const { starts, ends, axes, steps } = readSliceInputs(inputs, context);
  const rank = data.shape.length;
  const slices: AxisSlice[] = data.shape.map((dim) => ({ start: 0, step: 1, count: dim }));
  const seen = new Set<number>();
  axes.forEach((rawAxis, index) => {
    const axis = resolveAxis(rawAxis, rank, context);
    if (seen.has(axis)) throw shapeError(context, `axis ${axis} repeated in axes [${axes.join(', ')}] for ${formatShape(data.shape)}`);
    seen.add(axis);
    slices[axis] = sliceAxis(data.shape[axis] as number, starts[index] as number, ends[index] as number, steps[index] as number);
  });
  const strides = stridesOf(data.shape);
  const shape = slices.map((slice) => slice.count);
  const offset = slices.reduce((sum, slice, axis) => sum + slice.start * (strides[axis] as number), 0);
  const source = elementStorage(data);
  const target = allocateElements(data.dtype, shape.reduce((a, b) => a * b, 1));
  copyStrided({ source, offset, strides: slices.map((slice, axis) => slice.step * (strides[axis] as number)), shape, target });
  return [fromElements(data.dtype, shape, target)];
};

export const SLICE_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Slice', kernel: sliceKernel })];
