// Data types of the IR, their storage and their ONNX TensorProto.DataType codes.
// Storage follows ONNX: float16/bfloat16 as raw 16-bit patterns, int4/uint4 packed two per byte
// (low nibble first), int64 as BigInt64Array, bool as Uint8Array (0/1).
import { DTypeError } from './errors.js';

export const DTYPES = [
  'float32',
  'float16',
  'bfloat16',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int4',
  'uint4',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
] as const;

export type DType = (typeof DTYPES)[number];

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

interface DTypeInfo {
  /** Bits per element (4 for the packed nibble types). */
  bits: number;
  /** ONNX TensorProto.DataType enum value. */
  onnx: number;
  kind: 'float' | 'signed' | 'unsigned' | 'bool';
}

const INFO: Record<DType, DTypeInfo> = {
  float32: { bits: 32, onnx: 1, kind: 'float' },
  uint8: { bits: 8, onnx: 2, kind: 'unsigned' },
  int8: { bits: 8, onnx: 3, kind: 'signed' },
  uint16: { bits: 16, onnx: 4, kind: 'unsigned' },
  int16: { bits: 16, onnx: 5, kind: 'signed' },
  int32: { bits: 32, onnx: 6, kind: 'signed' },
  int64: { bits: 64, onnx: 7, kind: 'signed' },
  bool: { bits: 8, onnx: 9, kind: 'bool' },
  float16: { bits: 16, onnx: 10, kind: 'float' },
  float64: { bits: 64, onnx: 11, kind: 'float' },
  uint32: { bits: 32, onnx: 12, kind: 'unsigned' },
  uint64: { bits: 64, onnx: 13, kind: 'unsigned' },
  bfloat16: { bits: 16, onnx: 16, kind: 'float' },
  uint4: { bits: 4, onnx: 21, kind: 'unsigned' },
  int4: { bits: 4, onnx: 22, kind: 'signed' },
};

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && value in INFO;
}

export function dtypeBits(dtype: DType): number {
  return INFO[dtype].bits;
}

/** Bytes needed to store `count` elements (packed types round up to whole bytes). */
export function byteSize(dtype: DType, count: number): number {
  return Math.ceil((INFO[dtype].bits * count) / 8);
}

export function isFloatDType(dtype: DType): boolean {
  return INFO[dtype].kind === 'float';
}

export function isIntegerDType(dtype: DType): boolean {
  const kind = INFO[dtype].kind;
  return kind === 'signed' || kind === 'unsigned';
}

export function isSignedDType(dtype: DType): boolean {
  return INFO[dtype].kind === 'signed' || INFO[dtype].kind === 'float';
}

export function isPackedDType(dtype: DType): boolean {
  return dtype === 'int4' || dtype === 'uint4';
}

export function onnxDataType(dtype: DType): number {
  return INFO[dtype].onnx;
}

export function dtypeFromOnnx(code: number): DType {
  for (const name of DTYPES) if (INFO[name].onnx === code) return name;
  throw new DTypeError(`ONNX data type ${code} is not supported`, { onnxDataType: code });
}

/** Inclusive value range of an integer dtype (as numbers; int64/uint64 are approximate). */
export function integerRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'int4':
      return [-8, 7];
    case 'uint4':
      return [0, 15];
    case 'int8':
      return [-128, 127];
    case 'uint8':
      return [0, 255];
    case 'int16':
      return [-32768, 32767];
    case 'uint16':
      return [0, 65535];
    case 'int32':
      return [-2147483648, 2147483647];
    case 'uint32':
      return [0, 4294967295];
    case 'int64':
      return [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    case 'uint64':
      return [0, Number.MAX_SAFE_INTEGER];
    case 'bool':
      return [0, 1];
    default:
      throw new DTypeError(`integerRange: ${dtype} is not an integer dtype`, { dtype });
  }
}

/** Allocates zeroed storage for `count` elements of `dtype`. */
export function allocateStorage(dtype: DType, count: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(count);
    case 'float64':
      return new Float64Array(count);
    case 'float16':
    case 'bfloat16':
    case 'uint16':
      return new Uint16Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'int8':
      return new Int8Array(count);
    case 'uint8':
    case 'bool':
      return new Uint8Array(count);
    case 'int4':
    case 'uint4':
      return new Uint8Array(Math.ceil(count / 2));
    case 'int32':
      return new Int32Array(count);
    case 'uint32':
      return new Uint32Array(count);
    case 'int64':
      return new BigInt64Array(count);
    case 'uint64':
      return new BigUint64Array(count);
  }
}

/** The storage array length expected for `count` elements (packed types hold two per byte). */
export function storageLength(dtype: DType, count: number): number {
  return isPackedDType(dtype) ? Math.ceil(count / 2) : count;
}
