// safetensors dtype codes and the little-endian byte conversion of TensorData storage.
// reference: https://github.com/huggingface/safetensors (README "Format"): all values little-endian,
// C order. int4/uint4 have no safetensors code.
import { type DType, DTypeError, type TypedArray, allocateStorage } from '@efficientdl/ir';

/** Our dtype → safetensors dtype code. */
export const SAFETENSORS_CODES: Readonly<Partial<Record<DType, string>>> = {
  float32: 'F32',
  float16: 'F16',
  bfloat16: 'BF16',
  float64: 'F64',
  int8: 'I8',
  uint8: 'U8',
  int16: 'I16',
  uint16: 'U16',
  int32: 'I32',
  uint32: 'U32',
  int64: 'I64',
  uint64: 'U64',
  bool: 'BOOL',
};

const DTYPE_BY_CODE: ReadonlyMap<string, DType> = new Map(
  Object.entries(SAFETENSORS_CODES).map(([dtype, code]) => [code as string, dtype as DType]),
);

/** Bytes per element of every dtype safetensors can hold. */
export const ELEMENT_BYTES: Readonly<Partial<Record<DType, number>>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

/** The safetensors code of `dtype`; DTypeError for dtypes the format lacks (int4/uint4). */
export function safetensorsCode(dtype: DType, tensorName: string): string {
  const code = SAFETENSORS_CODES[dtype];
  if (code === undefined) {
    throw new DTypeError(`safetensors has no dtype for ${dtype} (tensor '${tensorName}'); unpack or cast it first`, {
      dtype,
      tensor: tensorName,
    });
  }
  return code;
}

/** The dtype of a safetensors code, or undefined when unknown. */
export function dtypeFromSafetensorsCode(code: string): DType | undefined {
  return DTYPE_BY_CODE.get(code);
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytesInPlace(bytes: Uint8Array, elementBytes: number): void {
  if (elementBytes === 1) return;
  for (let start = 0; start < bytes.length; start += elementBytes) {
    for (let low = start, high = start + elementBytes - 1; low < high; low++, high--) {
      const byte = bytes[low] as number;
      bytes[low] = bytes[high] as number;
      bytes[high] = byte;
    }
  }
}

/** Writes `storage` as little-endian bytes into `target` (length = storage byte length). */
export function writeLittleEndian(storage: TypedArray, elementBytes: number, target: Uint8Array): void {
  target.set(new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength));
  if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(target, elementBytes);
}

/** Copies little-endian `bytes` into fresh, aligned storage of `dtype` with `count` elements. */
export function readLittleEndian(dtype: DType, count: number, bytes: Uint8Array): TypedArray {
  const storage = allocateStorage(dtype, count);
  const view = new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength);
  view.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(view, ELEMENT_BYTES[dtype] ?? 1);
  return storage;
}
