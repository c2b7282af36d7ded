// Multidirectional (numpy) broadcasting iterator for N inputs. Dims are coalesced (a same-shape
// op becomes one run, a row broadcast (N, C) + (C) becomes N runs of C) and the caller gets one
// callback per contiguous run with per-input offsets and strides: no per-element closures.
// reference: https://github.com/onnx/onnx/blob/main/docs/Broadcasting.md
import { type StaticShape, formatShape, shapeSize } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { shapeError } from './kernel-support.js';

export interface BroadcastLayout {
  /** The broadcast output shape. */
  readonly shape: number[];
  readonly size: number;
  /** Coalesced dims of the iteration space (never empty). */
  readonly dims: number[];
  /** strides[input][dim]: element strides per coalesced dim, 0 where the input is broadcast. */
  readonly strides: number[][];
}

/** The broadcast of `shapes`; throws a ShapeError naming the op and all shapes. */
export function broadcastOutputShape(shapes: readonly StaticShape[], context: KernelContext): number[] {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const result = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let index = 0; index < shape.length; index++) {
      const axis = rank - shape.length + index;
      const dim = shape[index] as number;
      const current = result[axis] as number;
      if (dim === current || dim === 1) continue;
      if (current !== 1) {
        throw shapeError(context, `shapes ${shapes.map(formatShape).join(', ')} cannot be broadcast`, {
          shapes: shapes.map((s) => [...s]),
        });
      }
      result[axis] = dim;
    }
  }
  return result;
}

/** Plans the iteration: broadcast shape, coalesced dims and per-input strides. */
export function broadcastLayout(shapes: readonly StaticShape[], context: KernelContext): BroadcastLayout {
  const shape = broadcastOutputShape(shapes, context);
  const rank = shape.length;
  const fullStrides = shapes.map((inputShape) => {
    const strides = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let index = inputShape.length - 1; index >= 0; index--) {
      const dim = inputShape[index] as number;
      strides[rank - inputShape.length + index] = dim === 1 ? 0 : stride;
      stride *= dim;
    }
    return strides;
  });
  const dims: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let axis = 0; axis < rank; axis++) {
    const dim = shape[axis] as number;
    if (dim === 1) continue;
    const last = dims.length - 1;
    const mergeable =
      last >= 0 && fullStrides.every((input, which) => (strides[which] as number[])[last] === (input[axis] as number) * dim);
    if (mergeable) {
      dims[last] = (dims[last] as number) * dim;
      fullStrides.forEach((input, which) => ((strides[which] as number[])[last] = input[axis] as number));
    } else {
      dims.push(dim);
      fullStrides.forEach((input, which) => (strides[which] as number[]).push(input[axis] as number));
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const input of strides) input.push(0);
  }
  return { shape, size: shapeSize(shape), dims, strides };
}

/**
 * Calls `visit(offsets, outOffset, length)` once per run along the innermost coalesced dim.
 * `offsets[input]` is the input's element offset of the run; the run's stride for input i is
 * `layout.strides[i][layout.dims.length - 1]`. `offsets` is reused between calls.
 */
export function forEachRun(
  layout: BroadcastLayout,
  visit: (offsets: readonly number[], outOffset: number, length: number) => void,
): void {
  if (layout.size === 0) return;
  const { dims, strides } = layout;
  const inner = dims.length - 1;
  const length = dims[inner] as number;
  const counters = new Array<number>(inner).fill(0);
  const offsets = strides.map(() => 0);
  const runs = layout.size / length;
  for (let run = 0; run < runs; run++) {
    visit(offsets, run * length, length);
    // Advance the odometer over the outer dims.
    for (let axis = inner - 1; axis >= 0; axis--) {
      const count = (counters[axis] as number) + 1;
      if (count < (dims[axis] as number)) {
        counters[axis] = count;
        for (let which = 0; which < offsets.length; which++) {
          offsets[which] = (offsets[which] as number) + ((strides[which] as number[])[axis] as number);
        }
        break;
      }
      counters[axis] = 0;
      for (let which = 0; which < offsets.length; which++) {
        const stride = (strides[which] as number[])[axis] as number;
        offsets[which] = (offsets[which] as number) - stride * ((dims[axis] as number) - 1);
      }
    }
  }
}
