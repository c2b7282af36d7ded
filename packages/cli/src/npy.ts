// NumPy .npy files (format versions 1.0, 2.0 and 3.0): magic "\x93NUMPY", version, header length
// (uint16 for 1.0, uint32 after), an ASCII Python-dict header {'descr', 'fortran_order', 'shape'}
// padded with spaces to a multiple of 64 bytes and ending in '\n', then the C-order data.
// Big-endian data is byte-swapped on read; Fortran order is refused.
// reference: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { ConfigError, type DType, ModelFormatError, type TensorData, type TypedArray, formatShape, tensorData } from '@efficientdl/ir';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy type code (without byte order) per dtype; bfloat16 and int4/uint4 have none. */
const NUMPY_CODES: Partial<Record<DType, string>> = {
  float32: 'f4',
  float64: 'f8',
  float16: 'f2',
  int8: 'i1',
  uint8: 'u1',
  int16: 'i2',
  uint16: 'u2',
  int32: 'i4',
  uint32: 'u4',
  int64: 'i8',
  uint64: 'u8',
  bool: 'b1',
};

function fail(file: string, message: string, offset: number): never {
  throw new ModelFormatError(`npy file '${file}': ${message} at byte offset ${offset}`, { file, offset });
}

interface NpyHeader {
  dtype: DType;
  bigEndian: boolean;
  shape: number[];
}

function parseDescr(descr: string, file: string, offset: number): { dtype: DType; bigEndian: boolean } {
  const match = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const code = match?.[2];
  const dtype = (Object.keys(NUMPY_CODES) as DType[]).find((candidate) => NUMPY_CODES[candidate] === code);
  if (!match || !dtype) fail(file, `unsupported dtype descr '${descr}' (supported: ${Object.values(NUMPY_CODES).join(', ')})`, offset);
  return { dtype, bigEndian: match[1] === '>' };
}

function parseHeader(text: string, file: string, offset: number): NpyHeader {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(file, `header ${JSON.stringify(text.trim())} lacks 'descr', 'fortran_order' or 'shape'`, offset);
  }
  if (fortran === 'True') {
    fail(file, 'Fortran-order (column-major) arrays are not supported; save with np.ascontiguousarray(array)', offset);
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const dim = Number(part.replace(/L$/, ''));
      if (!Number.isInteger(dim) || dim < 0) fail(file, `bad shape entry '${part}'`, offset);
      return dim;
    });
  return { ...parseDescr(descr, file, offset), shape };
}

function typedArrayFrom(dtype: DType, bytes: Uint8Array, count: number): TypedArray {
  const target = tensorData(dtype, [count]).data;
  new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(bytes.subarray(0, target.byteLength));
  return target;
}

function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let start = 0; start < bytes.length; start += width) {
    for (let index = 0; index < width; index++) swapped[start + index] = bytes[start + width - 1 - index] as number;
  }
  return swapped;
}

/** Parses .npy bytes into a TensorData (C order). */
export function parseNpy(bytes: Uint8Array, file = 'array.npy'): TensorData {
  if (bytes.length < 10 || MAGIC.some((byte, index) => bytes[index] !== byte)) fail(file, 'missing the \\x93NUMPY magic', 0);
  const major = bytes[6] as number;
  if (major < 1 || major > 3) fail(file, `unsupported format version ${major}.${bytes[7]}`, 6);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) fail(file, 'truncated header length', 8);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(file, `header of ${headerLength} bytes runs past the end (${bytes.length} bytes)`, headerStart);
  const decoder = new TextDecoder(major === 3 ? 'utf-8' : 'latin1');
  const header = parseHeader(decoder.decode(bytes.subarray(headerStart, dataStart)), file, headerStart);
  const count = header.shape.reduce((total, dim) => total * dim, 1);
  const width = Number(NUMPY_CODES[header.dtype]?.slice(1));
  const needed = count * width;
  if (bytes.length - dataStart < needed) {
    fail(file, `data of ${header.dtype}${formatShape(header.shape)} needs ${needed} bytes, only ${bytes.length - dataStart} present`, dataStart);
  }
  let payload = bytes.subarray(dataStart, dataStart + needed);
  if (header.bigEndian && width > 1) payload = swapBytes(payload, width);
  return tensorData(header.dtype, header.shape, typedArrayFrom(header.dtype, payload, count));
}

function headerText(tensor: TensorData, code: string): string {
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  const order = code.endsWith('1') ? '|' : '<';
  return `{'descr': '${order}${code}', 'fortran_order': False, 'shape': ${shape}, }`;
}

/** Serializes a tensor as .npy (version 1.0, or 2.0 when the header exceeds 65535 bytes). */
export function serializeNpy(tensor: TensorData, name = 'tensor'): Uint8Array {
  const code = NUMPY_CODES[tensor.dtype];
  if (!code) {
    throw new ConfigError(`tensor '${name}' is ${tensor.dtype}, which .npy cannot store; write it as .pb (TensorProto) instead`, {
      value: name,
      dtype: tensor.dtype,
    });
  }
  const text = headerText(tensor, code);
  const major = text.length + 11 > 65535 ? 2 : 1;
  const prefix = 8 + (major === 1 ? 2 : 4);
  const padded = text.padEnd(Math.ceil((prefix + text.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const data = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const result = new Uint8Array(prefix + padded.length + data.length);
  result.set(MAGIC, 0);
  result[6] = major;
  result[7] = 0;
  const view = new DataView(result.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let index = 0; index < padded.length; index++) result[prefix + index] = padded.charCodeAt(index);
  result.set(data, prefix + padded.length);
  return result;
}
