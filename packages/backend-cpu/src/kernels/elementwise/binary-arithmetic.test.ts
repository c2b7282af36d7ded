// Broadcasting arithmetic against an independent naive oracle: every output coordinate is mapped
// back to each input by explicit per-axis index arithmetic (no coalescing, no runs).
import { type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { BINARY_ARITHMETIC_KERNELS } from './binary-arithmetic.js';

const context = (op: string): KernelContext => ({ op, node: `test_${op}`, outputCount: 1 });
const kernelFor = (op: string) => BINARY_ARITHMETIC_KERNELS.find((definition) => definition.op === op)!.kernel;

function pseudoRandom(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((state / 2147483648) * 200 - 100) / 8;
  });
}

/** out[c] = a[c mod a.shape] ∘ b[c mod b.shape] with right-aligned shapes. */
function naiveBroadcast(a: TensorData, b: TensorData, shape: number[], apply: (x: number, y: number) => number): number[] {
  const aValues = toNumberArray(a);
  const bValues = toNumberArray(b);
  const total = shape.reduce((p, d) => p * d, 1);
  const flatIndex = (coordinates: number[], inputShape: readonly number[]) => {
    let index = 0;
    inputShape.forEach((dim, axis) => {
      const coordinate = coordinates[coordinates.length - inputShape.length + axis] as number;
      index = index * dim + (dim === 1 ? 0 : coordinate);
    });
    return index;
  };
  const out: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    const coordinates: number[] = [];
    let rest = flat;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      coordinates.unshift(rest % (shape[axis] as number));
      rest = Math.floor(rest / (shape[axis] as number));
    }
    out.push(apply(aValues[flatIndex(coordinates, a.shape)] as number, bValues[flatIndex(coordinates, b.shape)] as number));
  }
  return out;
}

const SHAPE_PAIRS: [number[], number[], number[]][] = [
  [[3, 4], [3, 4], [3, 4]],
  [[3, 4], [4], [3, 4]],
  [[3, 1], [1, 4], [3, 4]],
  [[2, 1, 4], [3, 1], [2, 3, 4]],
  [[1], [2, 3, 2], [2, 3, 2]],
  [[2, 3, 1, 5], [3, 4, 1], [2, 3, 4, 5]],
  [[], [5, 2], [5, 2]],
];

describe('binary arithmetic broadcasting', () => {
  const operations: [string, (x: number, y: number) => number][] = [
    ['Add', (x, y) => x + y],
    ['Sub', (x, y) => x - y],
    ['Mul', (x, y) => x * y],
    ['Div', (x, y) => x / y],
  ];
  for (const [op, apply] of operations) {
    for (const [aShape, bShape, outShape] of SHAPE_PAIRS) {
      it(`${op} ${JSON.stringify(aShape)} ∘ ${JSON.stringify(bShape)} (float32 and float64)`, () => {
        for (const dtype of ['float32', 'float64'] as const) {
          const a = fromNumbers(dtype, aShape, pseudoRandom(aShape.reduce((p, d) => p * d, 1), 7));
          const b = fromNumbers(dtype, bShape, pseudoRandom(bShape.reduce((p, d) => p * d, 1), 11).map((v) => v || 1));
          const [out] = kernelFor(op)([a, b], {}, context(op));
          expect(out!.shape).toEqual(outShape);
          const expected = naiveBroadcast(a, b, outShape, apply);
          const actual = Array.from(toNumberArray(out!));
          actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 4));
        }
      });
    }
  }

  it('int64 Mul wraps modulo 2^64 like two’s complement', () => {
    const a = { dtype: 'int64' as const, shape: [1], data: BigInt64Array.of(2n ** 62n) };
    const b = { dtype: 'int64' as const, shape: [1], data: BigInt64Array.of(4n) };
    const [out] = kernelFor('Mul')([a, b], {}, context('Mul'));
    expect(out!.data[0]).toBe(0n);
  });

  it('names op, node and shapes in broadcast errors', () => {
    const a = fromNumbers('float32', [2, 3], [0, 0, 0, 0, 0, 0]);
    const b = fromNumbers('float32', [2], [0, 0]);
    expect(() => kernelFor('Add')([a, b], {}, context('Add'))).toThrow(/Add \(node 'test_Add'\).*\(2, 3\).*\(2\)/);
  });

  it('handles a 1M-element float32 row broadcast quickly', () => {
    const a = fromNumbers('float32', [1000, 1000], new Float32Array(1_000_000).fill(1));
    const b = fromNumbers('float32', [1000], new Float32Array(1000).fill(2));
    const start = performance.now();
    const [out] = kernelFor('Add')([a, b], {}, context('Add'));
    const elapsed = performance.now() - start;
    expect(out!.data[999_999]).toBe(3);
    expect(elapsed).toBeLessThan(500);
  });
});
