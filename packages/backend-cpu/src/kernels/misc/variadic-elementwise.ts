// Sum / Mean / Max / Min over one or more inputs with multidirectional broadcasting: inputs are
// folded pairwise into a broadcast accumulator (Mean divides by the input count at the end).
// Max / Min propagate NaN.
// reference: https://onnx.ai/onnx/operators/onnx__Sum.html, onnx__Mean.html, onnx__Max.html, onnx__Min.html
import type { Attributes, TensorData, TypedArray } from '@efficientdl/ir';
import type { Kernel, KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { broadcastLayout, forEachRun } from '../elementwise/broadcast.js';
import { allocateComputeValues, checkSameDType, computeValues, fromComputeValues, requireInput, shapeError } from '../elementwise/kernel-support.js';

type Scalar = number | bigint;
type Combine = (a: Scalar, b: Scalar) => Scalar;

const isNaNScalar = (value: Scalar) => typeof value === 'number' && Number.isNaN(value);
const COMBINE: Readonly<Record<'sum' | 'max' | 'min', Combine>> = {
  sum: (a, b) => (a as number) + (b as number),
  max: (a, b) => (isNaNScalar(a) || isNaNScalar(b) ? Number.NaN : a >= b ? a : b),
  min: (a, b) => (isNaNScalar(a) || isNaNScalar(b) ? Number.NaN : a <= b ? a : b),
};

/** Broadcasts `left` (of `leftShape`) against `right` and combines elementwise. */
function foldPair(left: { values: TypedArray; shape: readonly number[] }, right: TensorData, combine: Combine, context: KernelContext) {
  const layout = broadcastLayout([left.shape, right.shape], context);
  const rightValues = computeValues(right);
  const out = allocateComputeValues(right.dtype, layout.size);
  const leftStride = (layout.strides[0] as number[])[layout.dims.length - 1] as number;
  const rightStride = (layout.strides[1] as number[])[layout.dims.length - 1] as number;
  forEachRun(layout, (offsets, outOffset, length) => {
    for (let index = 0; index < length; index++) {
      const a = left.values[(offsets[0] as number) + index * leftStride] as Scalar;
      const b = rightValues[(offsets[1] as number) + index * rightStride] as Scalar;
      out[outOffset + index] = combine(a, b) as never;
    }
  });
  return { values: out, shape: layout.shape };
}

function variadicKernel(kind: 'sum' | 'mean' | 'max' | 'min'): Kernel {
  return (inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext) => {
    if (inputs.length < 1) throw shapeError(context, 'needs at least one input');
    const tensors = inputs.map((_, index) => requireInput(inputs, index, context));
    checkSameDType(tensors, context);
    const first = tensors[0] as TensorData;
    let accumulator: { values: TypedArray; shape: readonly number[] } = { values: computeValues(first).slice(), shape: first.shape };
    const combine = COMBINE[kind === 'mean' ? 'sum' : kind];
    for (const tensor of tensors.slice(1)) accumulator = foldPair(accumulator, tensor, combine, context);
    if (kind === 'mean') {
      const values = accumulator.values as Float32Array | Float64Array; // Mean is float-only
      for (let index = 0; index < values.length; index++) values[index] = (values[index] as number) / tensors.length;
    }
    return [fromComputeValues(first.dtype, [...accumulator.shape], accumulator.values)];
  };
}

const FLOATS = ['float32', 'float64', 'float16', 'bfloat16'] as const;

export const VARIADIC_ELEMENTWISE_KERNELS: readonly KernelDefinition[] = [
  { op: 'Sum', dtypes: FLOATS, kernel: variadicKernel('sum') },
  { op: 'Mean', dtypes: FLOATS, kernel: variadicKernel('mean') },
  { op: 'Max', kernel: variadicKernel('max') },
  { op: 'Min', kernel: variadicKernel('min') },
];
