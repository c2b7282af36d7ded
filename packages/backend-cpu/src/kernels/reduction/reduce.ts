// ReduceSum, ReduceMean, ReduceMax, ReduceMin (opset 18: axes is an optional int64 input;
// keepdims; noop_with_empty_axes). Accumulates in doubles; an empty reduction gives 0 (sum),
// NaN (mean), -inf/+inf (max/min; the dtype's min/max for integers).
// reference: https://onnx.ai/onnx/operators/onnx__ReduceSum.html (ReduceMean/Max/Min likewise)
import { type TensorData, fromNumbers, integerRange, isFloatDType, shapeSize, toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  NUMERIC_DTYPES,
  type NumberArray,
  checkDType,
  computeValues,
  fromComputeValues,
  isBigIntDType,
  readIntegerInput,
  requireInput,
  shapeError,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';
import { multiAxisLayout } from './axis-layout.js';

type ReduceKind = 'sum' | 'mean' | 'max' | 'min';

/** Reduces (outer, reduced, inner) → (outer, inner) in doubles. */
export function reduceRows(values: NumberArray, outer: number, reduced: number, inner: number, kind: ReduceKind): Float64Array {
  const out = new Float64Array(outer * inner);
  const initial = kind === 'max' ? Number.NEGATIVE_INFINITY : kind === 'min' ? Number.POSITIVE_INFINITY : 0;
  out.fill(initial);
  for (let row = 0; row < outer; row++) {
    const target = row * inner;
    for (let r = 0; r < reduced; r++) {
      const base = (row * reduced + r) * inner;
      if (kind === 'sum' || kind === 'mean') {
        for (let i = 0; i < inner; i++) out[target + i] = (out[target + i] as number) + (values[base + i] as number);
      } else if (kind === 'max') {
        for (let i = 0; i < inner; i++) {
          const value = values[base + i] as number;
          if (value > (out[target + i] as number) || Number.isNaN(value)) out[target + i] = value;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const value = values[base + i] as number;
          if (value < (out[target + i] as number) || Number.isNaN(value)) out[target + i] = value;
        }
      }
    }
  }
  if (kind === 'mean') for (let index = 0; index < out.length; index++) out[index] = (out[index] as number) / reduced;
  return out;
}

/**
 * Sum/mean over every axis but one contiguous block of kept axes, without transposing: X viewed
 * as (outer, kept, inner) → (kept). Same summation order as the transposed layout (outer, then
 * inner, row-major), so the same doubles. Used for per-channel reductions like (N, C, H, W) → (C).
 */
function reduceAroundKeptBlock(values: NumberArray, outer: number, kept: number, inner: number, kind: ReduceKind): Float64Array {
  const out = new Float64Array(kept);
  for (let k = 0; k < kept; k++) {
    let sum = 0;
    for (let a = 0; a < outer; a++) {
      const base = (a * kept + k) * inner;
      for (let b = base; b < base + inner; b++) sum += values[b] as number;
    }
    out[k] = kind === 'mean' ? sum / (outer * inner) : sum;
  }
  return out;
}

/** The (outer, kept, inner) view when the kept axes form one contiguous block between reduced ones. */
function keptBlockLayout(shape: readonly number[], axes: readonly number[]): { outer: number; kept: number; inner: number } | undefined {
  const keptAxes = shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const first = keptAxes[0];
  if (first === undefined || first === 0 || keptAxes.some((axis, index) => axis !== first + index)) return undefined;
  const last = keptAxes[keptAxes.length - 1] as number;
  if (last === shape.length - 1) return undefined; // contiguous reduce axes: the generic path is already direct
  return { outer: shapeSize(shape.slice(0, first)), kept: shapeSize(shape.slice(first, last + 1)), inner: shapeSize(shape.slice(last + 1)) };
}

function resolveReduceAxes(input: TensorData, axesInput: TensorData | undefined, attrs: Parameters<Kernel>[1], context: KernelContext): number[] | undefined {
  const rank = input.shape.length;
  const requested = readIntegerInput(axesInput, context, 'axes') ?? [];
  if (requested.length === 0) {
    if (attrs.noop_with_empty_axes === 1) return undefined;
    return input.shape.map((_, axis) => axis);
  }
  const axes = [...new Set(requested.map((axis) => resolveAxis(axis, rank, context)))].sort((a, b) => a - b);
  if (axes.length !== requested.length) throw shapeError(context, `axes [${requested.join(', ')}] contain duplicates`);
  return axes;
}

function writeResult(input: TensorData, shape: number[], result: Float64Array, kind: ReduceKind): TensorData {
  if (isFloatDType(input.dtype)) return fromComputeValues(input.dtype, shape, input.dtype === 'float64' ? result : Float32Array.from(result));
  const [low, high] = integerRange(input.dtype);
  for (let index = 0; index < result.length; index++) {
    const value = result[index] as number;
    if (value === Number.NEGATIVE_INFINITY) result[index] = low;
    else if (value === Number.POSITIVE_INFINITY) result[index] = high;
    else if (Number.isNaN(value)) result[index] = 0;
  }
  return fromNumbers(input.dtype, shape, kind === 'mean' ? result.map(Math.trunc) : result);
}

function reduceKernel(kind: ReduceKind): Kernel {
  return (inputs, attrs, context) => {
    const data = requireInput(inputs, 0, context);
    // ReduceMax / ReduceMin also take bool (opset 20): max = any, min = all.
    checkDType(data, kind === 'max' || kind === 'min' ? [...NUMERIC_DTYPES, 'bool'] : NUMERIC_DTYPES, context, 'data');
    const axes = resolveReduceAxes(data, inputs[1], attrs, context);
    if (!axes) return [{ dtype: data.dtype, shape: [...data.shape], data: data.data.slice() }];
    const keepDims = attrs.keepdims !== 0;
    const shape = data.shape.flatMap((dim, axis) => (axes.includes(axis) ? (keepDims ? [1] : []) : [dim]));
    const block = (kind === 'sum' || kind === 'mean') && data.dtype === 'float32' ? keptBlockLayout(data.shape, axes) : undefined;
    if (block) {
      // data: (outer, kept, inner) → (kept)
      const result = reduceAroundKeptBlock(data.data as Float32Array, block.outer, block.kept, block.inner, kind);
      return [writeResult(data, shape, result, kind)];
    }
    // data: (outer, reduced, inner) → (outer, inner)
    const layout = multiAxisLayout(data, axes, context);
    const values = isBigIntDType(data.dtype) ? toNumberArray(layout.input) : (computeValues(layout.input) as NumberArray);
    const result = reduceRows(values, layout.outer, layout.reduced, layout.inner, kind);
    if (shapeSize(shape) !== result.length) throw shapeError(context, 'internal: reduce layout mismatch');
    return [writeResult(data, shape, result, kind)];
  };
}

export const REDUCE_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'ReduceSum', kernel: reduceKernel('sum') }),
  defineKernel({ op: 'ReduceMean', kernel: reduceKernel('mean') }),
  defineKernel({ op: 'ReduceMax', kernel: reduceKernel('max') }),
  defineKernel({ op: 'ReduceMin', kernel: reduceKernel('min') }),
];
