// Weight-only int8 / int4 quantization of Gemm / MatMul into ai.efficientdl MatMulNBits.
export { type WeightOnlyConfig, type WeightOnlyLayer, type WeightOnlyResult, applyWeightOnly } from './apply-weight-only.js';
export { type NBitsOptions, type NBitsWeight, dequantizeNBits, quantizeNBits } from './quantize-nbits.js';
