// TensorData ↔ ort.Tensor. onnxruntime-node's tensor types use the same names as IR dtypes for
// the twelve it can move: int64/uint64 as BigInt64Array/BigUint64Array, bool as Uint8Array (0/1),
// float16 as raw Uint16 bits (Float16Array where the runtime has one is read back as bits).
import { type DType, DTypeError, type TensorData, tensorData } from '@efficientdl/ir';
import * as ort from 'onnxruntime-node';

/** The IR dtypes that travel to and from onnxruntime-node unchanged. */
export const ORT_DTYPES: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
];

const TRANSFERABLE = new Set<DType>(ORT_DTYPES);

export function isTransferable(dtype: DType): boolean {
  return TRANSFERABLE.has(dtype);
}

/** Wraps `data` as an ort.Tensor (no copy). */
export function toOrtTensor(data: TensorData, name: string): ort.Tensor {
  if (!TRANSFERABLE.has(data.dtype)) {
    throw new DTypeError(`backend 'onnxruntime' cannot pass '${name}' (${data.dtype}): onnxruntime-node moves only ${ORT_DTYPES.join(', ')}`, {
      value: name,
      dtype: data.dtype,
      backend: 'onnxruntime',
    });
  }
  // The constructor overloads are keyed by the type literal; the dtype was checked above.
  return new ort.Tensor(data.dtype as 'float32', data.data as Float32Array, [...data.shape]);
}

/** Copies an ort.Tensor into TensorData. */
export function fromOrtTensor(tensor: ort.Tensor, name: string): TensorData {
  const dtype = tensor.type as DType;
  if (!TRANSFERABLE.has(dtype)) {
    throw new DTypeError(`backend 'onnxruntime' returned '${name}' as ${tensor.type}, which has no IR storage here`, {
      value: name,
      dtype: tensor.type,
      backend: 'onnxruntime',
    });
  }
  return fromRawTensor({ dtype, shape: tensor.dims, data: tensor.data as ArrayBufferView }, name);
}

/** A tensor as it comes back from ORT or across postMessage: any typed-array view. */
export interface RawTensor {
  dtype: DType;
  shape: readonly number[];
  data: ArrayBufferView;
}

/** Copies a raw tensor into TensorData, reading float16 storage as Uint16 bits. */
export function fromRawTensor(raw: RawTensor, name: string): TensorData {
  const { dtype, data } = raw;
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    const bits = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    return tensorData(dtype, [...raw.shape], bits.slice());
  }
  const view = data as TensorData['data'];
  if (!(view instanceof Uint8Array) && dtype === 'bool') {
    throw new DTypeError(`backend 'onnxruntime' returned bool '${name}' in a ${view.constructor.name}`, { value: name });
  }
  return tensorData(dtype, [...raw.shape], view.slice());
}
