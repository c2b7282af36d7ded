// IDX file format (MNIST / Fashion-MNIST): magic = 0x00 0x00 <type> <rank>, then `rank` big-endian
// uint32 dims, then the row-major data, big-endian. Types: 0x08 uint8, 0x09 int8, 0x0B int16,
// 0x0C int32, 0x0D float32, 0x0E float64. reference: http://yann.lecun.com/exdb/mnist/ ("FILE FORMATS")
// Pure: bytes in, TensorData out; file reading and gzip live in idx-file.ts.
import { type DType, ModelFormatError, type TensorData, tensorData } from '@efficientdl/ir';

interface IdxType {
  code: number;
  dtype: DType;
  bytes: number;
}

const IDX_TYPE_TABLE: readonly IdxType[] = [
  { code: 0x08, dtype: 'uint8', bytes: 1 },
  { code: 0x09, dtype: 'int8', bytes: 1 },
  { code: 0x0b, dtype: 'int16', bytes: 2 },
  { code: 0x0c, dtype: 'int32', bytes: 4 },
  { code: 0x0d, dtype: 'float32', bytes: 4 },
  { code: 0x0e, dtype: 'float64', bytes: 8 },
];

export interface ParseIdxOptions {
  /** File name used in error messages. */
  file?: string;
}

function fail(message: string, file: string | undefined, offset: number): never {
  throw new ModelFormatError(`IDX${file ? ` file '${file}'` : ''}: ${message} at byte offset ${offset}`, { file, offset });
}

/** Parses an (uncompressed) IDX file. */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): TensorData {
  const { file } = options;
  if (bytes.length < 4) fail(`truncated header (${bytes.length} bytes, need 4)`, file, bytes.length);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`bad magic 0x${[bytes[0], bytes[1]].map((b) => (b as number).toString(16).padStart(2, '0')).join('')} (expected 0x0000)`, file, 0);
  const typeCode = bytes[2] as number;
  const type = IDX_TYPE_TABLE.find((entry) => entry.code === typeCode);
  if (!type) fail(`unknown data type 0x${typeCode.toString(16)}`, file, 2);
  const rank = bytes[3] as number;
  const headerEnd = 4 + 4 * rank;
  if (bytes.length < headerEnd) fail(`truncated header (rank ${rank} needs ${headerEnd} bytes, file has ${bytes.length})`, file, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, axis) => view.getUint32(4 + 4 * axis, false));
  const count = shape.reduce((product, dim) => product * dim, 1);
  const needed = headerEnd + count * type.bytes;
  if (bytes.length < needed) {
    fail(`truncated data: shape [${shape.join(', ')}] needs ${needed} bytes, file has ${bytes.length}`, file, bytes.length);
  }
  if (bytes.length > needed) fail(`${bytes.length - needed} unexpected trailing bytes`, file, needed);
  const result = tensorData(type.dtype, shape);
  readElements(view, headerEnd, type.dtype, result.data as Float64Array);
  return result;
}

function readElements(view: DataView, offset: number, dtype: DType, out: { length: number; [index: number]: number }): void {
  const count = out.length;
  for (let index = 0; index < count; index++) {
    switch (dtype) {
      case 'uint8':
        out[index] = view.getUint8(offset + index);
        break;
      case 'int8':
        out[index] = view.getInt8(offset + index);
        break;
      case 'int16':
        out[index] = view.getInt16(offset + 2 * index, false);
        break;
      case 'int32':
        out[index] = view.getInt32(offset + 4 * index, false);
        break;
      case 'float32':
        out[index] = view.getFloat32(offset + 4 * index, false);
        break;
      default:
        out[index] = view.getFloat64(offset + 8 * index, false);
    }
  }
}

/** Encodes a tensor as an (uncompressed) IDX file. */
export function serializeIdx(tensor: TensorData): Uint8Array {
  const type = IDX_TYPE_TABLE.find((entry) => entry.dtype === tensor.dtype);
  if (!type) throw new ModelFormatError(`IDX cannot store dtype ${tensor.dtype}`, { dtype: tensor.dtype });
  const headerEnd = 4 + 4 * tensor.shape.length;
  const count = tensor.data.length;
  const bytes = new Uint8Array(headerEnd + count * type.bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = type.code;
  bytes[3] = tensor.shape.length;
  tensor.shape.forEach((dim, axis) => view.setUint32(4 + 4 * axis, dim, false));
  const values = tensor.data as Float64Array;
  for (let index = 0; index < count; index++) {
    const value = values[index] as number;
    const at = headerEnd + index * type.bytes;
    if (tensor.dtype === 'uint8') view.setUint8(at, value);
    else if (tensor.dtype === 'int8') view.setInt8(at, value);
    else if (tensor.dtype === 'int16') view.setInt16(at, value, false);
    else if (tensor.dtype === 'int32') view.setInt32(at, value, false);
    else if (tensor.dtype === 'float32') view.setFloat32(at, value, false);
    else view.setFloat64(at, value, false);
  }
  return bytes;
}
