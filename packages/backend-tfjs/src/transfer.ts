// Moving TensorData to and from tfjs tensors. tfjs stores float32, int32 and bool; int64 travels
// through int32 when every value fits (else UnsupportedOpError), bool as 0/1.
import { type BackendNode, type DType, type TensorData, UnsupportedOpError, tensorData } from '@efficientdl/ir';
import type * as tf from '@tensorflow/tfjs-core';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** The tfjs storage dtype of an IR dtype, or undefined when tfjs cannot hold it exactly. */
export function tfjsDType(dtype: DType): 'float32' | 'int32' | 'bool' | undefined {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  if (dtype === 'int64') return 'int32';
  return undefined;
}

export function unsupported(node: BackendNode, reason: string): UnsupportedOpError {
  return new UnsupportedOpError(`backend 'tfjs' cannot run ${node.op} (node '${node.name}'): ${reason}`, {
    op: node.op,
    node: node.name,
    backend: 'tfjs',
  });
}

/** Host values of `data` as an array tfjs accepts (int64 checked against the int32 range). */
export function toTfjsValues(data: TensorData, node: BackendNode): Float32Array | Int32Array | Uint8Array {
  switch (data.dtype) {
    case 'float32':
      return data.data as Float32Array;
    case 'int32':
      return data.data as Int32Array;
    case 'bool':
      return data.data as Uint8Array;
    case 'int64': {
      const source = data.data as BigInt64Array;
      const values = new Int32Array(source.length);
      for (let index = 0; index < source.length; index++) {
        const value = source[index] as bigint;
        if (value < -2147483648n || value > 2147483647n) {
          throw unsupported(node, `int64 value ${value} at flat index ${index} does not fit the int32 that tfjs computes in`);
        }
        values[index] = Number(value);
      }
      return values;
    }
    default:
      throw unsupported(node, `dtype ${data.dtype} has no exact tfjs representation`);
  }
}

/** Uploads `data` as a tf tensor. */
export function upload(tfjs: typeof tf, data: TensorData, node: BackendNode): tf.Tensor {
  const storage = tfjsDType(data.dtype);
  if (!storage) throw unsupported(node, `dtype ${data.dtype} has no exact tfjs representation`);
  return tfjs.tensor(toTfjsValues(data, node), [...data.shape], storage);
}

/** Downloads a tf tensor as TensorData of the ONNX dtype it represents (copies the values). */
export function download(tensor: tf.Tensor, dtype: DType, node: BackendNode): TensorData {
  const values = tensor.dataSync() as Float32Array | Int32Array | Uint8Array;
  const shape = [...tensor.shape];
  switch (dtype) {
    case 'float32':
      return tensorData(dtype, shape, Float32Array.from(values));
    case 'int32':
      return tensorData(dtype, shape, Int32Array.from(values));
    case 'bool':
      return tensorData(dtype, shape, Uint8Array.from(values, (value) => (value !== 0 ? 1 : 0)));
    case 'int64':
      return tensorData(dtype, shape, BigInt64Array.from(values, (value) => BigInt(Math.trunc(value))));
    default:
      throw unsupported(node, `cannot produce dtype ${dtype}`);
  }
}

/** Numbers of a host tensor (shape-like operands). */
export function hostNumbers(data: TensorData): number[] {
  return Array.from(data.data as ArrayLike<number | bigint>, (value) => Number(value));
}
