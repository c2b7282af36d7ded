// Shared helpers of the basic CPU kernels: typed errors naming op/node/shapes, input access,
// dtype groups and element storage (int4/uint4 unpacked to one slot per element, float16/bfloat16
// decoded to float32 for arithmetic). Used by the elementwise, reduction, shape and quantization kernels.
import {
  type DType,
  DTypeError,
  type ErrorContext,
  ShapeError,
  type StaticShape,
  type TensorData,
  type TypedArray,
  allocateStorage,
  bfloat16ToNumber,
  float16ToNumber,
  formatShape,
  numberToBfloat16,
  numberToFloat16,
  shapeSize,
  tensorData,
} from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';

export type NumberArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;
export type BigIntArray = BigInt64Array | BigUint64Array;

export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'bfloat16'];
export const SIGNED_INT_DTYPES: readonly DType[] = ['int8', 'int16', 'int32', 'int64'];
export const UNSIGNED_INT_DTYPES: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];
export const INT_DTYPES: readonly DType[] = [...SIGNED_INT_DTYPES, ...UNSIGNED_INT_DTYPES];
export const NUMERIC_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...INT_DTYPES];
export const SIGNED_NUMERIC_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...SIGNED_INT_DTYPES];

function describe(context: KernelContext): string {
  return `${context.op} (node '${context.node}')`;
}

export function shapeError(context: KernelContext, message: string, extra: ErrorContext = {}): ShapeError {
  return new ShapeError(`${describe(context)}: ${message}`, { op: context.op, node: context.node, ...extra });
}

export function dtypeError(context: KernelContext, message: string, extra: ErrorContext = {}): DTypeError {
  return new DTypeError(`${describe(context)}: ${message}`, { op: context.op, node: context.node, ...extra });
}

/** Returns input `index`, throwing a ShapeError naming the op when a required input is missing. */
export function requireInput(inputs: readonly (TensorData | undefined)[], index: number, context: KernelContext): TensorData {
  const input = inputs[index];
  if (!input) throw shapeError(context, `required input ${index} is missing`);
  return input;
}

/** Throws a DTypeError unless `tensor.dtype` is one of `allowed`. */
export function checkDType(tensor: TensorData, allowed: readonly DType[], context: KernelContext, role = 'input'): void {
  if (!allowed.includes(tensor.dtype)) {
    throw dtypeError(context, `${role} dtype ${tensor.dtype} is not supported (expected one of ${allowed.join(', ')})`, {
      dtype: tensor.dtype,
    });
  }
}

/** Throws a DTypeError unless every tensor has the same dtype. */
export function checkSameDType(tensors: readonly TensorData[], context: KernelContext): void {
  const first = tensors[0];
  for (const tensor of tensors) {
    if (first && tensor.dtype !== first.dtype) {
      throw dtypeError(context, `inputs must share one dtype, got ${tensors.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(', ')}`);
    }
  }
}

export function isBigIntDType(dtype: DType): boolean {
  return dtype === 'int64' || dtype === 'uint64';
}

/** Reads a 1-D (or scalar) integer tensor (int64/int32 shape-like input) as plain numbers. */
export function readIntegers(tensor: TensorData): number[] {
  const count = shapeSize(tensor.shape);
  const values = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    const value = tensor.data[index] as number | bigint;
    values[index] = typeof value === 'bigint' ? Number(value) : value;
  }
  return values;
}

/** Reads an optional shape-like input; checks it is an integer tensor. */
export function readIntegerInput(tensor: TensorData | undefined, context: KernelContext, role: string): number[] | undefined {
  if (!tensor) return undefined;
  if (tensor.dtype !== 'int64' && tensor.dtype !== 'int32') {
    throw dtypeError(context, `${role} must be int64, got ${tensor.dtype}`, { dtype: tensor.dtype });
  }
  return readIntegers(tensor);
}

/** Storage with one slot per element: int4/uint4 are unpacked into Int8Array/Uint8Array. */
export function elementStorage(tensor: TensorData): TypedArray {
  if (tensor.dtype !== 'int4' && tensor.dtype !== 'uint4') return tensor.data;
  const count = shapeSize(tensor.shape);
  const packed = tensor.data as Uint8Array;
  const out = tensor.dtype === 'int4' ? new Int8Array(count) : new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const byte = packed[index >> 1] as number;
    const nibble = index & 1 ? byte >> 4 : byte & 0x0f;
    out[index] = tensor.dtype === 'int4' && nibble >= 8 ? nibble - 16 : nibble;
  }
  return out;
}

/** Allocates one-slot-per-element storage (int4 → Int8Array, uint4 → Uint8Array). */
export function allocateElements(dtype: DType, count: number): TypedArray {
  if (dtype === 'int4') return new Int8Array(count);
  if (dtype === 'uint4') return new Uint8Array(count);
  return allocateStorage(dtype, count);
}

/** Wraps one-slot-per-element storage as a tensor, packing int4/uint4 nibbles (low first). */
export function fromElements(dtype: DType, shape: StaticShape, elements: TypedArray): TensorData {
  if (dtype !== 'int4' && dtype !== 'uint4') return tensorData(dtype, shape, elements);
  const count = elements.length;
  const packed = new Uint8Array(Math.ceil(count / 2));
  for (let index = 0; index < count; index++) {
    const nibble = (elements[index] as number) & 0x0f;
    packed[index >> 1] = (packed[index >> 1] as number) | (index & 1 ? nibble << 4 : nibble);
  }
  return tensorData(dtype, shape, packed);
}

/**
 * Values in an array JS arithmetic can work on: float16/bfloat16 decoded to Float32Array,
 * int4/uint4 unpacked, everything else the storage itself (int64/uint64 stay BigInt arrays).
 */
export function computeValues(tensor: TensorData): TypedArray {
  if (tensor.dtype === 'float16' || tensor.dtype === 'bfloat16') {
    const bits = tensor.data as Uint16Array;
    const decode = tensor.dtype === 'float16' ? float16ToNumber : bfloat16ToNumber;
    const out = new Float32Array(bits.length);
    for (let index = 0; index < bits.length; index++) out[index] = decode(bits[index] as number);
    return out;
  }
  return elementStorage(tensor);
}

/** Allocates an array of the kind computeValues returns for `dtype`. */
export function allocateComputeValues(dtype: DType, count: number): TypedArray {
  if (dtype === 'float16' || dtype === 'bfloat16') return new Float32Array(count);
  return allocateElements(dtype, count);
}

/** Turns compute values (see computeValues) back into a tensor of `dtype`. */
export function fromComputeValues(dtype: DType, shape: StaticShape, values: TypedArray): TensorData {
  if (dtype === 'float16' || dtype === 'bfloat16') {
    const encode = dtype === 'float16' ? numberToFloat16 : numberToBfloat16;
    const bits = new Uint16Array(values.length);
    for (let index = 0; index < values.length; index++) bits[index] = encode(values[index] as number);
    return tensorData(dtype, shape, bits);
  }
  return fromElements(dtype, shape, values);
}
