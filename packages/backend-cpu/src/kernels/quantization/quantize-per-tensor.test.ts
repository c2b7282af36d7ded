// The per-tensor float32 ↔ uint8 / int8 QuantizeLinear / DequantizeLinear loops against the
// generic loops (quantizeLinearReference / dequantizeLinearReference), element for element:
// exact ties (x / scale = k + ½ with a power-of-two scale), values far outside the range, ±0,
// ±Infinity and NaN, a scale that is not a power of two, omitted zero points, output_dtype; and
// a hand-computed per-axis case (which keeps the generic loop).
import { type TensorData, fromNumbers, tensorData } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { QUANTIZE_LINEAR_KERNELS, dequantizeLinearReference, quantizeLinearReference } from './quantize-linear.js';
import { quantizePerTensor } from './quantize-per-tensor.js';

const at = (op: string): KernelContext => ({ op, node: `${op}_test`, outputCount: 1 });
const kernelOf = (op: string) => QUANTIZE_LINEAR_KERNELS.find((definition) => definition.op === op)?.kernel as NonNullable<(typeof QUANTIZE_LINEAR_KERNELS)[number]['kernel']>;
const listOf = (tensor: TensorData): number[] => Array.from(tensor.data as ArrayLike<number>);

/** Random values, exact ties of the scale 0.25, and special values. */
function inputs(): TensorData {
  const random = Array.from(randomTensorData([500], { seed: 3, low: -80, high: 80 }).data as Float32Array);
  const ties = Array.from({ length: 200 }, (_, index) => (index - 100 + 0.5) * 0.25);
  const special = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 3.4e38, 1e-45];
  const values = [...random, ...ties, ...special];
  return fromNumbers('float32', [values.length], values);
}

const CASES: { name: string; scale: number; zero?: TensorData; attrs?: Record<string, unknown> }[] = [
  { name: 'uint8, zero point 128, scale 0.25 (ties)', scale: 0.25, zero: fromNumbers('uint8', [], [128]) },
  { name: 'int8, zero point -3, scale 0.25 (ties)', scale: 0.25, zero: fromNumbers('int8', [], [-3]) },
  { name: 'uint8, scale 0.1', scale: 0.1, zero: fromNumbers('uint8', [1], [7]) },
  { name: 'no zero point (uint8, 0)', scale: 0.5 },
  { name: 'output_dtype int8 without zero point', scale: 0.3, attrs: { output_dtype: 3 } },
];

describe('per-tensor QuantizeLinear / DequantizeLinear', () => {
  const x = inputs();
  for (const testCase of CASES) {
    it(`${testCase.name}: quantize equals the generic loop`, () => {
      const operands = [x, fromNumbers('float32', [], [testCase.scale]), testCase.zero];
      const attrs = { axis: 1, block_size: 0, ...testCase.attrs };
      const [fast] = kernelOf('QuantizeLinear')(operands, attrs, at('QuantizeLinear')) as [TensorData];
      const [reference] = quantizeLinearReference(operands, attrs, at('QuantizeLinear')) as [TensorData];
      expect(fast.dtype).toBe(reference.dtype);
      expect(listOf(fast)).toEqual(listOf(reference));
      // the fast loop is what ran
      expect(quantizePerTensor(x, operands[1] as TensorData, testCase.zero, fast.dtype)).toBeDefined();
    });

    it(`${testCase.name}: dequantize equals the generic loop`, () => {
      const [quantized] = quantizeLinearReference([x, fromNumbers('float32', [], [testCase.scale]), testCase.zero], { axis: 1, block_size: 0, ...testCase.attrs }, at('QuantizeLinear')) as [TensorData];
      const operands = [quantized, fromNumbers('float32', [], [testCase.scale]), testCase.zero?.dtype === quantized.dtype ? testCase.zero : undefined];
      const [fast] = kernelOf('DequantizeLinear')(operands, { axis: 1, block_size: 0 }, at('DequantizeLinear')) as [TensorData];
      const [reference] = dequantizeLinearReference(operands, { axis: 1, block_size: 0 }, at('DequantizeLinear')) as [TensorData];
      expect(fast.dtype).toBe('float32');
      expect(listOf(fast)).toEqual(listOf(reference));
    });
  }

  it('hand-computed: rounding half to even and saturation', () => {
    const values = fromNumbers('float32', [8], [0.5, 1.5, 2.5, -0.5, -1.5, 300, -300, Number.NaN]);
    const [y] = kernelOf('QuantizeLinear')([values, fromNumbers('float32', [], [1]), fromNumbers('int8', [], [0])], { axis: 1, block_size: 0 }, at('QuantizeLinear')) as [TensorData];
    expect(listOf(y)).toEqual([0, 2, 2, 0, -2, 127, -128, 0]);
  });

  it('per-axis scales keep the generic loop (hand-computed)', () => {
    // x: (2, 3) quantized along axis 1 with scales (1, 2, 4) and zero points (0, 10, 20)
    const values = fromNumbers('float32', [2, 3], [1, 2, 4, -3, 5, 6]);
    const operands = [values, fromNumbers('float32', [3], [1, 2, 4]), fromNumbers('uint8', [3], [0, 10, 20])];
    const [y] = kernelOf('QuantizeLinear')(operands, { axis: 1, block_size: 0 }, at('QuantizeLinear')) as [TensorData];
    expect(listOf(y)).toEqual([1, 11, 21, 0, 12, 22]);
    expect(quantizePerTensor(values, operands[1] as TensorData, operands[2], 'uint8')).toBeUndefined();
  });

  it('leaves float16 / int16 cases to the generic loop', () => {
    expect(quantizePerTensor(tensorData('float32', [2]), fromNumbers('float32', [], [1]), undefined, 'int16')).toBeUndefined();
    expect(quantizePerTensor(tensorData('float16', [2]), fromNumbers('float32', [], [1]), undefined, 'uint8')).toBeUndefined();
  });
});
