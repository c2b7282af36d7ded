// Serialized TensorProto ↔ TensorData (the format of ONNX test_data_set_*.pb files).
import type { TensorData } from '@efficientdl/ir';
import { decodeTensorProtoBytes } from './decode-model.js';
import { onnxType } from './onnx-schema.js';
import { type EncodeTensorOptions, decodeTensorProto, encodeTensorProto } from './tensor-proto.js';

/** Reads a serialized TensorProto; returns its name ('' when unnamed) and data. */
export function readTensorProto(bytes: Uint8Array, file = 'tensor.pb'): { name: string; tensor: TensorData } {
  const proto = decodeTensorProtoBytes(bytes, file);
  return { name: proto.name, tensor: decodeTensorProto(proto, file) };
}

/** Serializes a tensor as TensorProto bytes. */
export function writeTensorProto(name: string, tensor: TensorData, options: EncodeTensorOptions = {}): Uint8Array {
  const type = onnxType('TensorProto');
  return type.encode(encodeTensorProto(name, tensor, options)).finish();
}
