// TensorProto ↔ TensorData: round-trips for every IR dtype through raw_data and the typed
// fields, hand-checked encodings of the packing rules, and typed errors for bad tensors.
import { DTYPES, DTypeError, ModelFormatError, type TensorData, UnsupportedOpError, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { onnxType } from './onnx-schema.js';
import type { TensorProtoMessage } from './proto-types.js';
import { readTensorProto, writeTensorProto } from './tensor-proto-bytes.js';
import { decodeTensorProto } from './tensor-proto.js';

/** Sample values covering each dtype's range edges. */
function sample(dtype: (typeof DTYPES)[number]): TensorData {
  const values: Record<string, number[]> = {
    float32: [1.5, -2.25, 0, 3.4e38, -1e-30, 7],
    float16: [1.5, -2.25, 0, 65504, -0.5, 7],
    bfloat16: [1.5, -2.25, 0, 3e38, -0.5, 7],
    float64: [1.5, -2.25, 0, 1e300, -1e-300, Math.PI],
    int8: [-128, 127, 0, -1, 5, 6],
    uint8: [0, 255, 1, 2, 128, 6],
    int16: [-32768, 32767, 0, -1, 5, 6],
    uint16: [0, 65535, 1, 2, 3, 4],
    int4: [-8, 7, 0, -1, 5],
    uint4: [0, 15, 1, 8, 3],
    int32: [-2147483648, 2147483647, 0, -1, 5, 6],
    uint32: [0, 4294967295, 1, 2, 3, 4],
    int64: [-(2 ** 53), 2 ** 53, 0, -1, 5, 6],
    uint64: [0, 2 ** 53, 1, 2, 3, 4],
    bool: [1, 0, 1, 1, 0, 0],
  };
  const list = values[dtype] as number[];
  return fromNumbers(dtype, list.length === 5 ? [5] : [2, 3], list);
}

describe('TensorProto round trips', () => {
  for (const dtype of DTYPES) {
    for (const typedFields of [false, true]) {
      it(`${dtype} via ${typedFields ? 'typed fields' : 'raw_data'}`, () => {
        const tensor = sample(dtype);
        const { name, tensor: back } = readTensorProto(writeTensorProto('t', tensor, { typedFields }));
        expect(name).toBe('t');
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(tensor.shape);
        expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(tensor.data as ArrayLike<number | bigint>));
      });
    }
  }

  it('keeps full 64-bit integers', () => {
    const tensor: TensorData = { dtype: 'int64', shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]) };
    const unsigned: TensorData = { dtype: 'uint64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) };
    for (const typedFields of [false, true]) {
      expect(readTensorProto(writeTensorProto('a', tensor, { typedFields })).tensor.data).toEqual(tensor.data);
      expect(readTensorProto(writeTensorProto('b', unsigned, { typedFields })).tensor.data).toEqual(unsigned.data);
    }
  });

  it('follows the spec encodings (int4 packed in int32_data, float16 bits, little-endian raw)', () => {
    const int4 = { dims: [3], data_type: 22, int32_data: [0x7f, 0x0e] };
    const decoded = decodeTensorProto(onnxType('TensorProto').decode(onnxType('TensorProto').encode(int4).finish()) as unknown as TensorProtoMessage);
    expect(Array.from(toNumberArray(decoded))).toEqual([-1, 7, -2]);
    const half = readTensorProto(onnxType('TensorProto').encode({ dims: [1], data_type: 10, int32_data: [0x3c00] }).finish());
    expect(Array.from(toNumberArray(half.tensor))).toEqual([1]);
    const raw = readTensorProto(onnxType('TensorProto').encode({ dims: [1], data_type: 6, raw_data: new Uint8Array([1, 2, 0, 0]) }).finish());
    expect(Array.from(raw.tensor.data as Int32Array)).toEqual([0x0201]);
  });
});

describe('TensorProto errors', () => {
  const encode = (proto: Record<string, unknown>) => onnxType('TensorProto').encode(proto).finish();

  it('rejects dims that contradict the data, naming tensor and field', () => {
    expect(() => readTensorProto(encode({ name: 'w', dims: [2, 3], data_type: 1, float_data: [1, 2] }))).toThrow(/tensor 'w'.*float_data/);
    expect(() => readTensorProto(encode({ name: 'w', dims: [4], data_type: 1, raw_data: new Uint8Array(8) }))).toThrow(ModelFormatError);
    expect(() => readTensorProto(encode({ name: 'w', dims: [4], data_type: 1, raw_data: new Uint8Array(8) }))).toThrow(/raw_data/);
  });

  it('never allocates from huge or negative dims', () => {
    expect(() => readTensorProto(encode({ name: 'big', dims: [1e9, 1e9], data_type: 1, raw_data: new Uint8Array(4) }))).toThrow(ModelFormatError);
    expect(() => readTensorProto(encode({ name: 'big', dims: [2 ** 40], data_type: 1 }))).toThrow(/big.*out of range/);
    expect(() => readTensorProto(encode({ name: 'neg', dims: [-1], data_type: 1 }))).toThrow(ModelFormatError);
  });

  it('rejects external data, strings and out-of-scope dtypes clearly', () => {
    const external = encode({ name: 'e', dims: [1], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: 'w.bin' }] });
    expect(() => readTensorProto(external)).toThrow(/tensor 'e': external data not supported/);
    expect(() => readTensorProto(encode({ name: 's', dims: [1], data_type: 8, string_data: [new Uint8Array([65])] }))).toThrow(UnsupportedOpError);
    expect(() => readTensorProto(encode({ name: 's', dims: [1], data_type: 8 }))).toThrow(/string dtype out of scope/);
    expect(() => readTensorProto(encode({ name: 'f8', dims: [1], data_type: 17, int32_data: [1] }))).toThrow(DTypeError);
    expect(() => readTensorProto(encode({ name: 'f8', dims: [1], data_type: 17, int32_data: [1] }))).toThrow(/float8e4m3fn is out of scope/);
    expect(() => readTensorProto(encode({ name: 'u', dims: [1], data_type: 99 }))).toThrow(/data_type 99/);
  });
});
