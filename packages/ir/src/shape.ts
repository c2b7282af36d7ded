// Shapes with static (number) and symbolic (string, e.g. 'N') dims, and ONNX multidirectional
// broadcasting (numpy rules): https://github.com/onnx/onnx/blob/main/docs/Broadcasting.md
import { ShapeError } from './errors.js';

export type Dim = number | string;
export type Shape = readonly Dim[];
export type StaticShape = readonly number[];

export function isStaticShape(shape: Shape): shape is StaticShape {
  return shape.every((dim) => typeof dim === 'number');
}

/** Number of elements of a static shape (1 for a scalar). */
export function shapeSize(shape: StaticShape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')})`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, index) => dim === b[index]);
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: StaticShape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] as number;
  }
  return strides;
}

/** Row-major coordinates of flat element `index` in a static shape (numpy.unravel_index). */
export function unravelIndex(index: number, shape: StaticShape): number[] {
  const coordinates = new Array<number>(shape.length);
  let remaining = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis] as number;
    coordinates[axis] = remaining % dim;
    remaining = Math.floor(remaining / dim);
  }
  return coordinates;
}

/** Normalizes a possibly negative axis into [0, rank); throws ShapeError naming the op. */
export function normalizeAxis(axis: number, rank: number, op = 'op'): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= Math.max(rank, 1)) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for rank ${rank}`, { op, axis, rank });
  }
  return normalized;
}

/** Broadcasts any number of shapes; symbolic dims broadcast with 1 or an equal symbol. */
export function broadcastShapes(shapes: readonly Shape[], op = 'op'): Dim[] {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const result: Dim[] = [];
  for (let index = 0; index < rank; index++) {
    let dim: Dim = 1;
    for (const shape of shapes) {
      const offset = index - (rank - shape.length);
      if (offset < 0) continue;
      const candidate = shape[offset] as Dim;
      if (candidate === 1) continue;
      if (dim === 1 || dim === candidate) {
        dim = candidate;
      } else if (typeof dim === 'string' || typeof candidate === 'string') {
        dim = typeof dim === 'number' ? dim : candidate;
      } else {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast (dim ${index}: ${dim} vs ${candidate})`,
          { op, shapes: shapes.map((shape) => [...shape]) },
        );
      }
    }
    result.push(dim);
  }
  return result;
}
