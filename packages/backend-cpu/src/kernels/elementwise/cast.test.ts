// Cast properties beyond the conformance cases: float16/bfloat16 round trips over every bit
// pattern, our documented choice for ONNX-undefined float → int overflow (saturate, NaN → 0), and
// int64 values beyond 2^53 staying exact through int64 → uint64 → int64.
import { type TensorData, tensorData } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { castTensor } from './cast.js';

const allBits = () => Uint16Array.from({ length: 65536 }, (_, index) => index);
const isNaNBits16 = (bits: number) => (bits & 0x7c00) === 0x7c00 && (bits & 0x03ff) !== 0;
const isNaNBitsB16 = (bits: number) => (bits & 0x7f80) === 0x7f80 && (bits & 0x007f) !== 0;

describe('Cast', () => {
  it('float16 → float32 → float16 is the identity on every non-NaN bit pattern', () => {
    const half = tensorData('float16', [65536], allBits());
    const back = castTensor(castTensor(half, 'float32'), 'float16').data as Uint16Array;
    const mismatches: number[] = [];
    for (let bits = 0; bits < 65536; bits++) {
      const ok = isNaNBits16(bits) ? isNaNBits16(back[bits] as number) : back[bits] === bits;
      if (!ok) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('bfloat16 → float64 → bfloat16 is the identity on every non-NaN bit pattern', () => {
    const brain = tensorData('bfloat16', [65536], allBits());
    const back = castTensor(castTensor(brain, 'float64'), 'bfloat16').data as Uint16Array;
    const mismatches: number[] = [];
    for (let bits = 0; bits < 65536; bits++) {
      const ok = isNaNBitsB16(bits) ? isNaNBitsB16(back[bits] as number) : back[bits] === bits;
      if (!ok) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('saturates out-of-range floats and maps NaN to 0 (ONNX leaves this undefined)', () => {
    const input = tensorData('float32', [4], Float32Array.of(1e10, -1e10, Number.NaN, 300));
    expect(Array.from(castTensor(input, 'int32').data as Int32Array)).toEqual([2147483647, -2147483648, 0, 300]);
    expect(Array.from(castTensor(input, 'uint8').data as Uint8Array)).toEqual([255, 0, 0, 255]);
    expect(Array.from(castTensor(input, 'int64').data as BigInt64Array)).toEqual([10000000000n, -10000000000n, 0n, 300n]);
  });

  it('keeps int64 exact beyond 2^53 and wraps into uint64', () => {
    const input: TensorData = tensorData('int64', [2], BigInt64Array.of(2n ** 60n + 1n, -1n));
    const unsigned = castTensor(input, 'uint64');
    expect(Array.from(unsigned.data as BigUint64Array)).toEqual([2n ** 60n + 1n, 2n ** 64n - 1n]);
    expect(Array.from(castTensor(unsigned, 'int64').data as BigInt64Array)).toEqual([2n ** 60n + 1n, -1n]);
  });
});
