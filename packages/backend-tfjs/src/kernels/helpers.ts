// Small helpers shared by the tfjs kernels: axis normalization, int64 result-range guards and
// host-side maxima used for those guards.
import { type TensorData, normalizeAxis } from '@efficientdl/ir';
import type { KernelCall, TfjsInput } from '../kernel-types.js';
import { INT32_MAX } from '../transfer.js';

/** Largest |value| of a host tensor (0 for empty tensors). */
export function maxAbs(data: TensorData): number {
  let largest = 0;
  const values = data.data as ArrayLike<number | bigint>;
  for (let index = 0; index < values.length; index++) largest = Math.max(largest, Math.abs(Number(values[index])));
  return largest;
}

/**
 * int64 ops compute in tfjs int32: decline unless `bound` (an upper bound of every |result|,
 * worked out from the inputs) fits int32, so no result can silently wrap.
 */
export function guardInt64(call: KernelCall, input: TfjsInput, bound: () => number): void {
  if (input.dtype !== 'int64') return;
  const value = bound();
  if (!(value <= INT32_MAX)) {
    call.decline(`int64 results may reach ${value}, beyond the int32 range tfjs computes in`);
  }
}

/** Normalizes a possibly negative axis against `rank` (ShapeError on out-of-range). */
export function axisOf(call: KernelCall, axis: number, rank: number): number {
  return normalizeAxis(axis, rank, `${call.node.op} (node '${call.node.name}')`);
}

/** Integer attribute with a default. */
export function intAttr(call: KernelCall, name: string, fallback: number): number {
  const value = call.attrs[name];
  return typeof value === 'number' ? value : fallback;
}

/** Integer-list attribute ([] when absent). */
export function intsAttr(call: KernelCall, name: string): number[] {
  const value = call.attrs[name];
  return Array.isArray(value) ? (value as number[]).slice() : [];
}

export function stringAttr(call: KernelCall, name: string, fallback: string): string {
  const value = call.attrs[name];
  return typeof value === 'string' ? value : fallback;
}

/** Product of the dims of `shape`. */
export function product(shape: readonly number[]): number {
  return shape.reduce((total, dim) => total * dim, 1);
}

/** numpy broadcast of static shapes (inference has validated them): per axis the non-1 dim. */
export function broadcast(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  return Array.from({ length: rank }, (_, axis) => {
    const dims = shapes.map((shape) => (shape[axis - rank + shape.length] as number | undefined) ?? 1);
    return dims.find((dim) => dim !== 1) ?? 1;
  });
}
