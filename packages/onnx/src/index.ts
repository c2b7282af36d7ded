// @efficientdl/onnx — ONNX protobuf import/export of the IR (depends on @efficientdl/ir and protobufjs).
export { importOnnx, type ImportOnnxOptions, SUPPORTED_IR_VERSIONS, SUPPORTED_OPSETS, MODERN_OPSET } from './import-onnx.js';
export { exportOnnx, type ExportOnnxOptions } from './export-onnx.js';
export { decodeTensorProto, encodeTensorProto, type EncodeTensorOptions } from './tensor-proto.js';
export { readTensorProto, writeTensorProto } from './tensor-proto-bytes.js';
export { decodeModelProto } from './decode-model.js';
export { ONNX_DESCRIPTOR } from './onnx-schema.js';
