// Quantization primitives: quantized dtypes and rounding, scale / zero-point choice (per tensor,
// per channel, per group) and ONNX QuantizeLinear / DequantizeLinear on host tensors.
export { type QuantDType, QUANT_DTYPES, isQuantDType, isSignedQuantDType, quantRange, roundHalfToEven, quantizeValue } from './quant-dtype.js';
export {
  type ChooseQuantParamsOptions,
  type PerChannelOptions,
  type PerGroupOptions,
  type QuantParams,
  type TensorQuantParams,
  chooseQuantParams,
  chooseQuantParamsPerChannel,
  chooseQuantParamsPerGroup,
} from './choose-params.js';
export {
  type AnyQuantParams,
  type QuantizeLayoutOptions,
  dequantizeTensor,
  packCodes,
  parameterIndexOf,
  quantParamsToTensors,
  quantizeTensor,
  unpackCodes,
} from './quantize-tensor.js';
