// Pad(data, pads, constant_value?, axes?) with mode constant | reflect | edge | wrap. pads is
// [begin_0…, end_0…] over `axes` (default all); negative pads crop. Each output axis gets an index
// map into the input (-1 = constant fill), then the output is written row by row.
// reference: https://onnx.ai/onnx/operators/onnx__Pad.html
import { type TensorData, formatShape, shapeSize, stridesOf } from '@efficientdl/ir';
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

type PadMode = 'constant' | 'reflect' | 'edge' | 'wrap';

/** Input index for output position `index` of an axis padded by `begin` (or -1: constant). */
function sourceIndex(index: number, begin: number, dim: number, mode: PadMode): number {
  const position = index - begin;
  if (position >= 0 && position < dim) return position;
  if (mode === 'constant' || dim === 0) return -1;
  if (mode === 'edge' || dim === 1) return position < 0 ? 0 : dim - 1;
  if (mode === 'wrap') return ((position % dim) + dim) % dim;
  // reflect (mirror without repeating the edge): period 2·(dim − 1)
  const period = 2 * (dim - 1);
  const folded = ((position % period) + period) % period;
  return folded < dim ? folded : period - folded;
}

/** Per-axis [begin, end] pads over all axes. */
function resolvePads(data: TensorData, pads: readonly number[], axes: readonly number[] | undefined, context: KernelContext): number[][] {
  const rank = data.shape.length;
  const padAxes = (axes ?? Array.from({ length: rank }, (_, axis) => axis)).map((axis) => resolveAxis(axis, rank, context));
  if (pads.length !== 2 * padAxes.length) {
    throw shapeError(context, `pads has ${pads.length} values, expected ${2 * padAxes.length} for ${formatShape(data.shape)}`);
  }
  const result = data.shape.map(() => [0, 0]);
  padAxes.forEach((axis, index) => {
    result[axis] = [pads[index] as number, pads[index + padAxes.length] as number];
  });
  return result;
}

const padKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const pads = readIntegerInput(requireInput(inputs, 1, context), context, 'pads') ?? [];
  const axes = readIntegerInput(inputs[3], context, 'axes');
  const mode = ((attrs.mode as string | undefined) ?? 'constant') as PadMode;
  if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) throw shapeError(context, `unknown mode '${mode}'`);
  const perAxis = resolvePads(data, pads, axes, context);
  const shape = data.shape.map((dim, axis) => dim + (perAxis[axis]?.[0] as number) + (perAxis[axis]?.[1] as number));
  if (shape.some((dim) => dim < 0)) throw shapeError(context, `pads [${pads.join(', ')}] crop ${formatShape(data.shape)} below zero`);
  if (mode !== 'constant' && data.shape.some((dim, axis) => dim === 0 && (shape[axis] as number) > 0)) {
    throw shapeError(context, `mode '${mode}' cannot pad an empty axis of ${formatShape(data.shape)}`);
  }
  const constantTensor = inputs[2];
  if (constantTensor) checkSameDType([data, constantTensor], context);
  const fill = constantTensor ? (elementStorage(constantTensor)[0] as number) : undefined;
  const maps = shape.map((dim, axis) =>
    Int32Array.from({ length: dim }, (_, index) => sourceIndex(index, perAxis[axis]?.[0] as number, data.shape[axis] as number, mode)),
  );
  const source = elementStorage(data) as Float32Array;
  const out = allocateElements(data.dtype, shapeSize(shape)) as Float32Array;
  writePadded({ source, sourceStrides: stridesOf(data.shape), maps, shape, out, fill });
  return [fromElements(data.dtype, shape, out)];
};

interface PaddedWrite {
  source: Float32Array;
  sourceStrides: readonly number[];
  maps: readonly Int32Array[];
  shape: readonly number[];
  out: Float32Array;
  fill: number | undefined;
}

/** Walks the output in row-major order; a -1 anywhere in the coordinate's maps means fill. */
function writePadded({ source, sourceStrides, maps, shape, out, fill }: PaddedWrite): void {
  const total = out.length;
  const rank = shape.length;
  if (total === 0) return;
  if (rank === 0) {
    out[0] = source[0] as number;
    return;
  }
  const coordinates = new Array<number>(rank).fill(0);
  for (let written = 0; written < total; written++) {
    let offset = 0;
    for (let axis = 0; axis < rank; axis++) {
      const index = (maps[axis] as Int32Array)[coordinates[axis] as number] as number;
      if (index < 0) {
        offset = -1;
        break;
      }
      offset += index * (sourceStrides[axis] as number);
    }
    if (offset >= 0) out[written] = source[offset] as number;
    else if (fill !== undefined) out[written] = fill;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const next = (coordinates[axis] as number) + 1;
      if (next < (shape[axis] as number)) {
        coordinates[axis] = next;
        break;
      }
      coordinates[axis] = 0;
    }
  }
}

export const PAD_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Pad', kernel: padKernel })];
