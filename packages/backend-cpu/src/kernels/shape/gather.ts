// Gather(data, indices, axis): out[i0…, j…, k…] = data[i0…, indices[j…], k…]; negative indices
// count from the end; out-of-range indices are ShapeErrors.
// reference: https://onnx.ai/onnx/operators/onnx__Gather.html
import { formatShape, shapeSize } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  allocateElements,
  dtypeError,
  elementStorage,
  fromElements,
  readIntegers,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from './reshape.js';

const gatherKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const indices = requireInput(inputs, 1, context);
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') throw dtypeError(context, `indices must be int32 or int64, got ${indices.dtype}`);
  const axis = resolveAxis((attrs.axis as number | undefined) ?? 0, data.shape.length, context);
  // data: (outer, dim, inner), indices: (J…) → out: (outer, J…, inner)
  const dim = data.shape[axis] as number;
  const outer = shapeSize(data.shape.slice(0, axis));
  const inner = shapeSize(data.shape.slice(axis + 1));
  const positions = readIntegers(indices).map((index) => {
    const resolved = index < 0 ? index + dim : index;
    if (resolved < 0 || resolved >= dim) {
      throw shapeError(context, `index ${index} is out of range for axis ${axis} of ${formatShape(data.shape)}`);
    }
    return resolved;
  });
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const source = elementStorage(data) as Float32Array;
  const out = allocateElements(data.dtype, outer * positions.length * inner) as Float32Array;
  let written = 0;
  for (let row = 0; row < outer; row++) {
    for (const position of positions) {
      const from = (row * dim + position) * inner;
      if (inner === 1) out[written] = source[from] as number;
      else out.set(source.subarray(from, from + inner), written);
      written += inner;
    }
  }
  return [fromElements(data.dtype, shape, out)];
};

export const GATHER_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Gather', kernel: gatherKernel })];
