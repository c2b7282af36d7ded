// Concat(inputs…, axis) and Split(input, split?, axis, num_outputs): block copies along one axis.
// Split without `split` cuts into num_outputs (or the node's output count) chunks of
// ceil(dim / n), the last one smaller when uneven (opset 18).
// reference: https://onnx.ai/onnx/operators/onnx__Concat.html, https://onnx.ai/onnx/operators/onnx__Split.html
import { type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  allocateElements,
  checkSameDType,
  elementStorage,
  fromElements,
  readIntegerInput,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from './reshape.js';

const concatKernel: Kernel = (inputs, attrs, context) => {
  const tensors = inputs.filter((input): input is TensorData => input !== undefined);
  const first = tensors[0];
  if (!first) throw shapeError(context, 'needs at least one input');
  checkSameDType(tensors, context);
  const rank = first.shape.length;
  const axis = resolveAxis(attrs.axis as number, rank, context);
  for (const tensor of tensors) {
    const compatible = tensor.shape.length === rank && tensor.shape.every((dim, index) => index === axis || dim === first.shape[index]);
    if (!compatible) throw shapeError(context, `shapes ${tensors.map((t) => formatShape(t.shape)).join(', ')} differ off axis ${axis}`);
  }
  // Each input is (outer, dim_i · inner); the output is (outer, Σ dim_i · inner).
  const outer = shapeSize(first.shape.slice(0, axis));
  const inner = shapeSize(first.shape.slice(axis + 1));
  const total = tensors.reduce((sum, tensor) => sum + (tensor.shape[axis] as number), 0);
  const shape = first.shape.map((dim, index) => (index === axis ? total : dim));
  const out = allocateElements(first.dtype, outer * total * inner) as Float32Array;
  let column = 0;
  for (const tensor of tensors) {
    const block = (tensor.shape[axis] as number) * inner;
    const source = elementStorage(tensor) as Float32Array;
    for (let row = 0; row < outer; row++) out.set(source.subarray(row * block, (row + 1) * block), row * total * inner + column);
    column += block;
  }
  return [fromElements(first.dtype, shape, out)];
};

function splitSizes(dim: number, split: readonly number[] | undefined, count: number, context: KernelContext): number[] {
  if (split) {
    if (split.some((size) => size < 0) || split.reduce((a, b) => a + b, 0) !== dim) {
      throw shapeError(context, `split [${split.join(', ')}] does not sum to dim ${dim}`);
    }
    return [...split];
  }
  if (count < 1) throw shapeError(context, `num_outputs must be ≥ 1, got ${count}`);
  const chunk = Math.ceil(dim / count);
  const sizes = Array.from({ length: count }, (_, index) => Math.max(0, Math.min(chunk, dim - index * chunk)));
  if (sizes.some((size) => size === 0) && dim >= count) throw shapeError(context, `cannot split dim ${dim} into ${count} chunks`);
  return sizes;
}

const splitKernel: Kernel = (inputs, attrs, context) => {
  const input = requireInput(inputs, 0, context);
  const axis = resolveAxis((attrs.axis as number | undefined) ?? 0, input.shape.length, context);
  const split = readIntegerInput(inputs[1], context, 'split');
  const count = (attrs.num_outputs as number | undefined) ?? context.outputCount;
  const dim = input.shape[axis] as number;
  const sizes = splitSizes(dim, split, count, context);
  const outer = shapeSize(input.shape.slice(0, axis));
  const inner = shapeSize(input.shape.slice(axis + 1));
  const source = elementStorage(input) as Float32Array;
  let start = 0;
  return sizes.map((size) => {
    // part: (outer, size · inner) taken at column start · inner of (outer, dim · inner)
    const out = allocateElements(input.dtype, outer * size * inner) as Float32Array;
    for (let row = 0; row < outer; row++) {
      const from = row * dim * inner + start * inner;
      out.set(source.subarray(from, from + size * inner), row * size * inner);
    }
    start += size;
    return fromElements(input.dtype, input.shape.map((d, index) => (index === axis ? size : d)), out);
  });
};

export const CONCAT_SPLIT_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'Concat', kernel: concatKernel }),
  defineKernel({ op: 'Split', kernel: splitKernel }),
];
