// TensorData: a host-side tensor (dtype, static shape, typed-array storage). Initializers,
// constants and CPU backend storage all use it. Helpers convert float16/bfloat16 bits and
// pack/unpack int4/uint4 nibbles.
import { type DType, type TypedArray, allocateStorage, storageLength } from './dtype.js';
import { ShapeError } from './errors.js';
import { type StaticShape, formatShape, shapeSize } from './shape.js';

export interface TensorData {
  readonly dtype: DType;
  readonly shape: StaticShape;
  readonly data: TypedArray;
}

/** Creates a TensorData, checking that the storage length matches the shape. */
export function tensorData(dtype: DType, shape: StaticShape, data?: TypedArray): TensorData {
  const count = shapeSize(shape);
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(`invalid shape ${formatShape(shape)}: dims must be non-negative integers`, {
        shape: [...shape],
      });
    }
  }
  const storage = data ?? allocateStorage(dtype, count);
  const expected = storageLength(dtype, count);
  if (storage.length !== expected) {
    throw new ShapeError(
      `${dtype} tensor of shape ${formatShape(shape)} needs ${expected} storage elements, got ${storage.length}`,
      { dtype, shape: [...shape], length: storage.length },
    );
  }
  return { dtype, shape: [...shape], data: storage };
}

/** Reads element `index` as a JS number (int64 via Number(); packed nibbles unpacked). */
export function readNumber(tensor: TensorData, index: number): number {
  const { dtype, data } = tensor;
  if (dtype === 'int4' || dtype === 'uint4') {
    const byte = (data as Uint8Array)[index >> 1] as number;
    const nibble = index & 1 ? byte >> 4 : byte & 0x0f;
    return dtype === 'int4' && nibble >= 8 ? nibble - 16 : nibble;
  }
  if (dtype === 'float16') return float16ToNumber((data as Uint16Array)[index] as number);
  if (dtype === 'bfloat16') return bfloat16ToNumber((data as Uint16Array)[index] as number);
  const value = data[index] as number | bigint;
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Copies all elements into a Float64Array of plain numbers. */
export function toNumberArray(tensor: TensorData): Float64Array {
  const count = shapeSize(tensor.shape);
  const out = new Float64Array(count);
  for (let index = 0; index < count; index++) out[index] = readNumber(tensor, index);
  return out;
}

/** Builds a tensor of `dtype` from plain numbers, rounding/wrapping as a cast would. */
export function fromNumbers(dtype: DType, shape: StaticShape, values: ArrayLike<number>): TensorData {
  const result = tensorData(dtype, shape);
  const { data } = result;
  const count = values.length;
  switch (dtype) {
    case 'int64':
      for (let index = 0; index < count; index++) (data as BigInt64Array)[index] = BigInt(Math.trunc(values[index] as number));
      break;
    case 'uint64':
      for (let index = 0; index < count; index++) (data as BigUint64Array)[index] = BigInt(Math.trunc(values[index] as number));
      break;
    case 'float16':
      for (let index = 0; index < count; index++) (data as Uint16Array)[index] = numberToFloat16(values[index] as number);
      break;
    case 'bfloat16':
      for (let index = 0; index < count; index++) (data as Uint16Array)[index] = numberToBfloat16(values[index] as number);
      break;
    case 'bool':
      for (let index = 0; index < count; index++) (data as Uint8Array)[index] = values[index] ? 1 : 0;
      break;
    case 'int4':
    case 'uint4':
      for (let index = 0; index < count; index++) writePackedNibble(data as Uint8Array, index, values[index] as number);
      break;
    default:
      for (let index = 0; index < count; index++) (data as Float32Array)[index] = values[index] as number;
  }
  return result;
}

function writePackedNibble(data: Uint8Array, index: number, value: number): void {
  const nibble = value & 0x0f;
  const byteIndex = index >> 1;
  const byte = data[byteIndex] as number;
  data[byteIndex] = index & 1 ? (byte & 0x0f) | (nibble << 4) : (byte & 0xf0) | nibble;
}

const conversionBuffer = new DataView(new ArrayBuffer(4));

/** IEEE binary16 bits → number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x03ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** number → IEEE binary16 bits, round-to-nearest-even (via float32). */
export function numberToFloat16(value: number): number {
  conversionBuffer.setFloat32(0, value);
  const bits = conversionBuffer.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half++;
  halfExponent = half >> 10;
  return sign | half;
}

/** bfloat16 bits → number. */
export function bfloat16ToNumber(bits: number): number {
  conversionBuffer.setUint32(0, bits << 16);
  return conversionBuffer.getFloat32(0);
}

/** number → bfloat16 bits, round-to-nearest-even. */
export function numberToBfloat16(value: number): number {
  conversionBuffer.setFloat32(0, value);
  const bits = conversionBuffer.getUint32(0);
  if (Number.isNaN(value)) return 0x7fc0;
  const rounding = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + rounding) >>> 16) & 0xffff;
}
