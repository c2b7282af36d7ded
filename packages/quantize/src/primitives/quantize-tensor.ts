// quantizeTensor / dequantizeTensor: ONNX QuantizeLinear and DequantizeLinear on host tensors,
// per tensor, per channel (axis) or per group (axis + groupSize = ONNX block_size).
//   q = saturate(round_half_even(x / scale) + zeroPoint),   x̂ = (q − zeroPoint) · scale
// The division happens in float32 as the ONNX reference does; NaN quantizes to 0 (the CPU
// reference kernel's choice). int4/uint4 results are packed two per byte, low nibble first.
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
import { ConfigError, type TensorData, allocateStorage, formatShape, shapeSize, tensorData } from '@efficientdl/ir';
import type { QuantParams, TensorQuantParams } from './choose-params.js';
import { type QuantDType, isQuantDType, quantRange, quantizeValue } from './quant-dtype.js';

export interface QuantizeLayoutOptions {
  /** Overrides the parameters' axis (per-channel / per-group parameters only). */
  axis?: number;
  /** Overrides the parameters' groupSize (per-group parameters only). */
  groupSize?: number;
}

export type AnyQuantParams = QuantParams | TensorQuantParams;

function isTensorParams(params: AnyQuantParams): params is TensorQuantParams {
  return 'scales' in params;
}

/** For every element of a tensor of `shape`, the index of its scale / zero point. */
export function parameterIndexOf(shape: readonly number[], params: AnyQuantParams, options: QuantizeLayoutOptions = {}): Int32Array {
  const count = shapeSize(shape);
  const indices = new Int32Array(count);
  if (!isTensorParams(params)) return indices;
  const axisOption = options.axis ?? params.axis;
  const axis = axisOption < 0 ? axisOption + shape.length : axisOption;
  const groupSize = options.groupSize ?? params.groupSize ?? 0;
  // x: (outer, dim, inner)
  const dim = shape[axis];
  if (dim === undefined) throw new ConfigError(`axis ${axisOption} is out of range for shape ${formatShape(shape)}`, { axis: axisOption });
  const outer = shapeSize(shape.slice(0, axis));
  const inner = shapeSize(shape.slice(axis + 1));
  const blocks = groupSize > 0 ? Math.ceil(dim / groupSize) : dim;
  const expected = groupSize > 0 ? outer * blocks * inner : dim;
  if (params.scales.length !== expected || params.zeroPoints.length !== expected) {
    throw new ConfigError(
      `quantization parameters hold ${params.scales.length} scales, shape ${formatShape(shape)} needs ${expected} (axis ${axis}, groupSize ${groupSize})`,
      { shape: [...shape], axis, groupSize },
    );
  }
  let index = 0;
  for (let row = 0; row < outer; row++) {
    for (let d = 0; d < dim; d++) {
      const base = groupSize > 0 ? (row * blocks + Math.floor(d / groupSize)) * inner : d;
      for (let i = 0; i < inner; i++) indices[index++] = groupSize > 0 ? base + i : base;
    }
  }
  return indices;
}

function scalesOf(params: AnyQuantParams): { scales: ArrayLike<number>; zeroPoints: ArrayLike<number> } {
  return isTensorParams(params) ? params : { scales: [params.scale], zeroPoints: [params.zeroPoint] };
}

function checkDType(dtype: QuantDType): void {
  if (!isQuantDType(dtype)) throw new ConfigError(`cannot quantize to '${String(dtype)}' (choose one of int8, uint8, int4, uint4)`, { dtype });
}

/** Writes integer codes into storage of `dtype` (int4/uint4 packed, low nibble first). */
export function packCodes(dtype: QuantDType, shape: readonly number[], codes: ArrayLike<number>): TensorData {
  const count = codes.length;
  const storage = allocateStorage(dtype, count);
  if (dtype === 'int4' || dtype === 'uint4') {
    const bytes = storage as Uint8Array;
    for (let index = 0; index < count; index++) {
      const nibble = (codes[index] as number) & 0x0f;
      bytes[index >> 1] = (bytes[index >> 1] as number) | (index & 1 ? nibble << 4 : nibble);
    }
  } else {
    (storage as Int8Array | Uint8Array).set(codes as ArrayLike<number>);
  }
  return tensorData(dtype, shape, storage);
}

/** Integer codes of a quantized tensor (int4/uint4 unpacked, sign-extended for int4). */
export function unpackCodes(tensor: TensorData): Int32Array {
  const count = shapeSize(tensor.shape);
  const codes = new Int32Array(count);
  if (tensor.dtype === 'int4' || tensor.dtype === 'uint4') {
    const bytes = tensor.data as Uint8Array;
    for (let index = 0; index < count; index++) {
      const byte = bytes[index >> 1] as number;
      const nibble = index & 1 ? byte >> 4 : byte & 0x0f;
      codes[index] = tensor.dtype === 'int4' && nibble >= 8 ? nibble - 16 : nibble;
    }
    return codes;
  }
  if (!isQuantDType(tensor.dtype) && tensor.dtype !== 'int32') {
    throw new ConfigError(`dequantize expects an int8/uint8/int4/uint4/int32 tensor, got ${tensor.dtype}`, { dtype: tensor.dtype });
  }
  codes.set(tensor.data as Int8Array | Uint8Array | Int32Array);
  return codes;
}

/** QuantizeLinear on a float tensor: returns the codes as a tensor of the parameters' dtype. */
export function quantizeTensor(data: TensorData, params: AnyQuantParams, options: QuantizeLayoutOptions = {}): TensorData {
  checkDType(params.dtype);
  const values = data.data;
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new ConfigError(`quantizeTensor expects a float32/float64 tensor, got ${data.dtype}${formatShape(data.shape)}`, { dtype: data.dtype });
  }
  const [low, high] = quantRange(params.dtype);
  const indices = parameterIndexOf(data.shape, params, options);
  const { scales, zeroPoints } = scalesOf(params);
  const codes = new Int32Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const parameter = indices[index] as number;
    const scaled = Math.fround((values[index] as number) / (scales[parameter] as number));
    codes[index] = quantizeValue(scaled, zeroPoints[parameter] as number, low, high);
  }
  return packCodes(params.dtype, data.shape, codes);
}

/** DequantizeLinear: (q − zeroPoint) · scale as float32. int32 input (a quantized bias) is allowed. */
export function dequantizeTensor(data: TensorData, params: AnyQuantParams, options: QuantizeLayoutOptions = {}): TensorData {
  const codes = unpackCodes(data);
  const indices = parameterIndexOf(data.shape, params, options);
  const { scales, zeroPoints } = scalesOf(params);
  const out = new Float32Array(codes.length);
  for (let index = 0; index < codes.length; index++) {
    const parameter = indices[index] as number;
    out[index] = ((codes[index] as number) - (zeroPoints[parameter] as number)) * (scales[parameter] as number);
  }
  return tensorData('float32', data.shape, out);
}

/** The scale (float32) and zero point (parameters' dtype) as tensors, e.g. for QuantizeLinear inputs. */
export function quantParamsToTensors(params: AnyQuantParams): { scale: TensorData; zeroPoint: TensorData } {
  if (!isTensorParams(params)) {
    return { scale: tensorData('float32', [], new Float32Array([params.scale])), zeroPoint: packCodes(params.dtype, [], [params.zeroPoint]) };
  }
  return { scale: tensorData('float32', params.shape, params.scales.slice()), zeroPoint: packCodes(params.dtype, params.shape, params.zeroPoints) };
}
