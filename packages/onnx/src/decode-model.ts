// Decodes ModelProto bytes with protobufjs, turning every decoder failure (truncation, bad wire
// types, invalid UTF-8 lengths, runaway nesting) into a ModelFormatError naming the file and the
// offset/field protobufjs reports.
import { EfficientDLError, ModelFormatError } from '@efficientdl/ir';
import { onnxType } from './onnx-schema.js';
import type { ModelMessage, TensorProtoMessage } from './proto-types.js';

function decodeMessage<T>(type: 'ModelProto' | 'TensorProto', bytes: Uint8Array, file: string): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new ModelFormatError(`${file}: expected the ${type} bytes as a Uint8Array`, { file });
  }
  try {
    return onnxType(type).decode(bytes) as unknown as T;
  } catch (error) {
    if (error instanceof EfficientDLError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError(`${file}: not a valid ONNX ${type} (${bytes.length} bytes): ${reason}`, { file, field: type, reason });
  }
}

/** Decodes serialized ModelProto bytes. */
export function decodeModelProto(bytes: Uint8Array, file = 'model'): ModelMessage {
  return decodeMessage<ModelMessage>('ModelProto', bytes, file);
}

/** Decodes serialized TensorProto bytes (the test_data_set_*.pb files). */
export function decodeTensorProtoBytes(bytes: Uint8Array, file = 'tensor'): TensorProtoMessage {
  return decodeMessage<TensorProtoMessage>('TensorProto', bytes, file);
}
