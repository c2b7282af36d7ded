// Shared helpers for op schemas: dtype groups, typed errors that name op/node/shapes, reading
// constant shape-like inputs, fresh symbolic dims and dim arithmetic with symbolic dims.
import { type DType, DTYPES } from '../dtype.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { InferenceContext, ValueInfo } from '../op-schema.js';
import { type Dim, type Shape, formatShape, isStaticShape, shapeSize } from '../shape.js';
import { type TensorData, toNumberArray } from '../tensor-data.js';

export const FLOAT_TYPES: readonly DType[] = ['float32', 'float16', 'bfloat16', 'float64'];
export const SIGNED_INT_TYPES: readonly DType[] = ['int8', 'int16', 'int32', 'int64'];
export const UNSIGNED_INT_TYPES: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];
export const INT_TYPES: readonly DType[] = [...SIGNED_INT_TYPES, ...UNSIGNED_INT_TYPES];
export const NUMERIC_TYPES: readonly DType[] = [...FLOAT_TYPES, ...INT_TYPES];
export const SIGNED_NUMERIC_TYPES: readonly DType[] = [...FLOAT_TYPES, ...SIGNED_INT_TYPES];
export const ALL_TYPES: readonly DType[] = DTYPES;
export const INDEX_TYPES: readonly DType[] = ['int32', 'int64'];
export const SHAPE_TYPES: readonly DType[] = ['int64'];

/** "Op (node 'name')" prefix used by every inference error. */
export function where(context: InferenceContext): string {
  return `${context.op} (node '${context.node}')`;
}

function describeInputs(context: InferenceContext): string {
  return context.inputs.map((info) => (info ? `${info.dtype}${formatShape(info.shape)}` : '-')).join(', ');
}

/** Throws a ShapeError naming op, node, the message and all input shapes. */
export function shapeError(context: InferenceContext, message: string): never {
  throw new ShapeError(`${where(context)}: ${message}; inputs: [${describeInputs(context)}]`, {
    op: context.op,
    node: context.node,
    shapes: context.inputs.map((info) => (info ? [...info.shape] : undefined)),
  });
}

/** Throws a DTypeError naming op, node, the message and all input dtypes/shapes. */
export function dtypeError(context: InferenceContext, message: string): never {
  throw new DTypeError(`${where(context)}: ${message}; inputs: [${describeInputs(context)}]`, {
    op: context.op,
    node: context.node,
    dtypes: context.inputs.map((info) => info?.dtype),
  });
}

/** The ValueInfo of input `index`; a ShapeError if it is missing. */
export function input(context: InferenceContext, index: number): ValueInfo {
  const info = context.inputs[index];
  if (!info) shapeError(context, `input ${index} is required but missing`);
  return info;
}

export function optionalInput(context: InferenceContext, index: number): ValueInfo | undefined {
  return context.inputs[index];
}

/** Requires the given inputs (present ones) to share one dtype; returns it. */
export function sameDType(context: InferenceContext, indices: readonly number[]): DType {
  let dtype: DType | undefined;
  for (const index of indices) {
    const info = context.inputs[index];
    if (!info) continue;
    if (dtype === undefined) dtype = info.dtype;
    else if (info.dtype !== dtype) {
      dtypeError(context, `inputs must share one dtype, got ${dtype} and ${info.dtype} (input ${index})`);
    }
  }
  return dtype ?? input(context, indices[0] ?? 0).dtype;
}

/** Checks a rank (or a minimum rank). */
export function requireRank(context: InferenceContext, index: number, rank: number, minimum = false): Shape {
  const shape = input(context, index).shape;
  if (minimum ? shape.length < rank : shape.length !== rank) {
    shapeError(context, `input ${index} must have rank ${minimum ? '>= ' : ''}${rank}, got ${formatShape(shape)}`);
  }
  return shape;
}

/** Known integer values of input `index` (shape-like operands), or undefined. */
export function constantInts(context: InferenceContext, index: number): number[] | undefined {
  const value: TensorData | undefined = context.constants[index];
  return value ? Array.from(toNumberArray(value)) : undefined;
}

/** Known float values of input `index`, or undefined. */
export function constantFloats(context: InferenceContext, index: number): number[] | undefined {
  return constantInts(context, index);
}

/** Fresh symbolic dim for output `output`, axis `axis`. */
export function freshDim(context: InferenceContext, axis: number, output = 0): string {
  const base = context.node || context.op;
  return output === 0 ? `${base}_dim${axis}` : `${base}_out${output}_dim${axis}`;
}

/** `rank` fresh symbolic dims. */
export function freshShape(context: InferenceContext, rank: number, output = 0): Dim[] {
  return Array.from({ length: rank }, (_, axis) => freshDim(context, axis, output));
}

/** The element count of a 1-D shape-like input when its shape is static, else undefined. */
export function lengthOf1D(context: InferenceContext, index: number): number | undefined {
  const info = context.inputs[index];
  if (!info) return undefined;
  if (info.shape.length === 0) return 1;
  if (info.shape.length !== 1) shapeError(context, `input ${index} must be 1-D, got ${formatShape(info.shape)}`);
  const dim = info.shape[0];
  return typeof dim === 'number' ? dim : undefined;
}

/** Product of dims: a number when static, the symbol itself for (symbol x 1s), else a fresh symbol. */
export function dimProduct(dims: readonly Dim[], fresh: () => string): Dim {
  if (isStaticShape(dims)) return shapeSize(dims);
  const symbolic = dims.filter((dim) => typeof dim === 'string');
  const rest = dims.filter((dim): dim is number => typeof dim === 'number');
  return symbolic.length === 1 && shapeSize(rest) === 1 ? (symbolic[0] as string) : fresh();
}

/** Normalizes an axis in [-rank, rank) with an error naming op and node. */
export function axisOf(context: InferenceContext, axis: number, rank: number): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) {
    shapeError(context, `axis ${axis} is out of range for rank ${rank}`);
  }
  return normalized;
}

/** Normalizes a list of axes; duplicates are a ShapeError. */
export function axesOf(context: InferenceContext, axes: readonly number[], rank: number): number[] {
  const normalized = axes.map((axis) => axisOf(context, axis, rank));
  if (new Set(normalized).size !== normalized.length) shapeError(context, `axes [${axes.join(', ')}] repeat an axis`);
  return normalized;
}

/** Checks the declared output count is within [1, maximum]. */
export function requireOutputCount(context: InferenceContext, maximum: number): void {
  if (context.outputCount < 1 || context.outputCount > maximum) {
    shapeError(context, `declares ${context.outputCount} outputs, the op has at most ${maximum}`);
  }
}

/** Int list attribute (empty when absent). */
export function intsAttr(context: InferenceContext, name: string): number[] {
  const value = context.attrs[name];
  return Array.isArray(value) ? (value as number[]).slice() : [];
}

export function intAttr(context: InferenceContext, name: string, fallback = 0): number {
  const value = context.attrs[name];
  return typeof value === 'number' ? value : fallback;
}

export function stringAttr(context: InferenceContext, name: string, fallback = ''): string {
  const value = context.attrs[name];
  return typeof value === 'string' ? value : fallback;
}

/** Checks a string attribute against allowed values; an AttributeError naming op and node. */
export function requireChoice(context: InferenceContext, name: string, allowed: readonly string[]): string {
  const value = stringAttr(context, name);
  if (!allowed.includes(value)) {
    throw new AttributeError(`${where(context)}: attribute ${name}='${value}' must be one of ${allowed.join(', ')}`, {
      op: context.op,
      node: context.node,
      attribute: name,
    });
  }
  return value;
}

/** Two dims that must agree: returns the static one when either is static; error if both differ. */
export function unifyDims(context: InferenceContext, a: Dim, b: Dim, what: string): Dim {
  if (typeof a === 'number' && typeof b === 'number' && a !== b) shapeError(context, `${what}: ${a} vs ${b}`);
  return typeof a === 'number' ? a : b;
}
