// TensorProto ↔ TensorData for every IR dtype, following onnx.proto's storage rules: float_data,
// double_data, int64_data, uint64_data (uint32/uint64), int32_data (8/16-bit ints, bool,
// (b)float16 bit patterns, int4/uint4 two per entry low nibble first) or little-endian raw_data.
// Sizes are checked against the declared dims before anything is allocated.
import {
  type DType,
  DTypeError,
  ModelFormatError,
  type TensorData,
  type TypedArray,
  UnsupportedOpError,
  byteSize,
  dtypeFromOnnx,
  formatShape,
  isDType,
  onnxDataType,
  storageLength,
  tensorData,
} from '@efficientdl/ir';
import { type Int64Like, type TensorProtoMessage, encodeInt64, int64ToBigInt, int64ToNumber } from './proto-types.js';

/** ONNX data types we recognise but do not support, with the name used in messages. */
const OUT_OF_SCOPE: Readonly<Record<number, string>> = {
  14: 'complex64',
  15: 'complex128',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  23: 'float4e2m1',
  24: 'float8e8m0',
  25: 'uint2',
  26: 'int2',
};

/** Largest dim / element count we accept (2^31 - 1); larger tensors cannot be TypedArrays anyway. */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** The IR dtype of an ONNX data type code; out-of-scope types throw DTypeError/UnsupportedOpError naming `where`. */
export function dtypeForOnnxCode(code: number, where: string): DType {
  if (code === 8) {
    throw new UnsupportedOpError(`${where}: string dtype out of scope`, { tensor: where, dtype: 'string', outOfScope: true });
  }
  const outOfScope = OUT_OF_SCOPE[code];
  if (outOfScope) {
    throw new DTypeError(`${where}: dtype ${outOfScope} is out of scope (ONNX data type ${code})`, {
      tensor: where,
      dtype: outOfScope,
      outOfScope: true,
    });
  }
  try {
    return dtypeFromOnnx(code);
  } catch {
    throw new ModelFormatError(`${where}: data_type ${code} is not a valid ONNX TensorProto.DataType`, { tensor: where, field: 'data_type' });
  }
}

/** Reads dims as numbers, rejecting negative or huge values. */
export function decodeDims(dims: readonly Int64Like[], where: string): number[] {
  return dims.map((dim, axis) => {
    const value = int64ToNumber(dim, `${where}.dims[${axis}]`);
    if (value < 0 || value > MAX_ELEMENTS) {
      throw new ModelFormatError(`${where}: dims[${axis}] = ${value} is out of range`, { tensor: where, field: 'dims' });
    }
    return value;
  });
}

function elementCount(shape: readonly number[], where: string): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  if (count > MAX_ELEMENTS) {
    throw new ModelFormatError(`${where}: ${formatShape(shape)} has ${count} elements, more than supported`, { tensor: where, field: 'dims' });
  }
  return count;
}

function sizeError(where: string, field: string, shape: readonly number[], expected: number, actual: number): ModelFormatError {
  return new ModelFormatError(
    `${where}: dims ${formatShape(shape)} need ${expected} ${field === 'raw_data' ? 'bytes' : 'entries'} in ${field}, got ${actual}`,
    { tensor: where, field, expected, actual },
  );
}

/** Copies little-endian raw bytes into fresh (aligned) storage of `dtype`. */
function fromRawBytes(dtype: DType, count: number, raw: Uint8Array): TypedArray {
  const storage = tensorData(dtype, [count]).data;
  new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength).set(raw);
  return storage;
}

/** The typed field a dtype uses when raw_data is absent. */
function typedField(dtype: DType): keyof TensorProtoMessage {
  switch (dtype) {
    case 'float32':
      return 'float_data';
    case 'float64':
      return 'double_data';
    case 'int64':
      return 'int64_data';
    case 'uint32':
    case 'uint64':
      return 'uint64_data';
    default:
      return 'int32_data';
  }
}

function fromTypedField(dtype: DType, values: readonly unknown[]): TypedArray {
  const storage = tensorData(dtype, [dtype === 'int4' || dtype === 'uint4' ? values.length * 2 : values.length]).data;
  if (dtype === 'int64') values.forEach((value, index) => ((storage as BigInt64Array)[index] = int64ToBigInt(value as Int64Like)));
  else if (dtype === 'uint64') values.forEach((value, index) => ((storage as BigUint64Array)[index] = int64ToBigInt(value as Int64Like, true)));
  else if (dtype === 'uint32') values.forEach((value, index) => ((storage as Uint32Array)[index] = Number(int64ToBigInt(value as Int64Like, true))));
  else (storage as Float32Array).set(values as number[]);
  return storage;
}

/** Decodes a TensorProto into TensorData; `where` names it in errors when it has no name. */
export function decodeTensorProto(proto: TensorProtoMessage, where = 'tensor'): TensorData {
  const name = proto.name ? `tensor '${proto.name}'` : where;
  if (proto.data_location === 1 || proto.external_data.length > 0) {
    throw new ModelFormatError(`${name}: external data not supported (data_location/external_data)`, { tensor: name, field: 'external_data' });
  }
  const dtype = dtypeForOnnxCode(proto.data_type, name);
  const shape = decodeDims(proto.dims, name);
  const count = elementCount(shape, name);
  const raw = proto.raw_data;
  if (raw && raw.length > 0) {
    const expected = byteSize(dtype, count);
    if (raw.length !== expected) throw sizeError(name, 'raw_data', shape, expected, raw.length);
    return tensorData(dtype, shape, fromRawBytes(dtype, count, raw));
  }
  const field = typedField(dtype);
  const values = proto[field] as readonly unknown[];
  const expected = storageLength(dtype, count);
  if (values.length !== expected) throw sizeError(name, field, shape, expected, values.length);
  return tensorData(dtype, shape, fromTypedField(dtype, values));
}

export interface EncodeTensorOptions {
  /** Store values in the typed *_data fields instead of raw_data (default false). */
  typedFields?: boolean;
}

function toTypedFieldValues(tensor: TensorData): unknown[] {
  const { dtype, data } = tensor;
  if (dtype === 'int64' || dtype === 'uint64') return Array.from(data as BigInt64Array, (value) => encodeInt64(value));
  return Array.from(data as Float32Array);
}

/** Encodes TensorData as a plain TensorProto object for protobufjs. */
export function encodeTensorProto(name: string, tensor: TensorData, options: EncodeTensorOptions = {}): Record<string, unknown> {
  if (!isDType(tensor.dtype)) throw new DTypeError(`tensor '${name}': unknown dtype ${String(tensor.dtype)}`, { tensor: name });
  const proto: Record<string, unknown> = { name, dims: [...tensor.shape], data_type: onnxDataType(tensor.dtype) };
  if (options.typedFields) {
    proto[typedField(tensor.dtype)] = toTypedFieldValues(tensor);
  } else {
    const { data } = tensor;
    proto.raw_data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  return proto;
}
