// Reductions, Softmax/LogSoftmax and CumSum over every axis combination of a random 3-D tensor,
// against naive coordinate-loop oracles; plus a speed check on ~1M elements.
import { type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { REDUCE_KERNELS } from './reduce.js';
import { SOFTMAX_KERNELS } from './softmax.js';

const context = (op: string): KernelContext => ({ op, node: `test_${op}`, outputCount: 1 });
const SHAPE = [3, 4, 5];
const values = Array.from({ length: 60 }, (_, index) => Math.sin(index * 1.7) * 3);
const x = fromNumbers('float64', SHAPE, values);
const at = (i: number, j: number, k: number) => values[(i * 4 + j) * 5 + k] as number;

function naiveReduce(axes: number[], combine: (acc: number, v: number) => number, initial: number): number[] {
  // Output kept at keepdims=1 shape, enumerated row-major.
  const outShape = SHAPE.map((dim, axis) => (axes.includes(axis) ? 1 : dim));
  const out: number[] = [];
  for (let oi = 0; oi < (outShape[0] as number); oi++)
    for (let oj = 0; oj < (outShape[1] as number); oj++)
      for (let ok = 0; ok < (outShape[2] as number); ok++) {
        let acc = initial;
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 4; j++)
            for (let k = 0; k < 5; k++) {
              const matches = (axes.includes(0) || i === oi) && (axes.includes(1) || j === oj) && (axes.includes(2) || k === ok);
              if (matches) acc = combine(acc, at(i, j, k));
            }
        out.push(acc);
      }
  return out;
}

const AXIS_SETS = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
const run = (op: string, inputs: (TensorData | undefined)[], attrs = {}) =>
  (REDUCE_KERNELS.concat(SOFTMAX_KERNELS).find((d) => d.op === op)!.kernel(inputs, attrs, context(op)) as TensorData[])[0]!;

describe('reductions over arbitrary axes', () => {
  for (const axes of AXIS_SETS) {
    it(`ReduceSum/Max/Min/Mean axes ${JSON.stringify(axes)}`, () => {
      const axesTensor = fromNumbers('int64', [axes.length], axes);
      const count = axes.reduce((p, axis) => p * (SHAPE[axis] as number), 1);
      const sum = naiveReduce(axes, (a, v) => a + v, 0);
      const checks: [string, number[]][] = [
        ['ReduceSum', sum],
        ['ReduceMean', sum.map((v) => v / count)],
        ['ReduceMax', naiveReduce(axes, Math.max, Number.NEGATIVE_INFINITY)],
        ['ReduceMin', naiveReduce(axes, Math.min, Number.POSITIVE_INFINITY)],
      ];
      for (const [op, expected] of checks) {
        const out = run(op, [x, axesTensor], { keepdims: 1 });
        expect(out.shape).toEqual(SHAPE.map((dim, axis) => (axes.includes(axis) ? 1 : dim)));
        Array.from(toNumberArray(out)).forEach((v, index) => expect(v).toBeCloseTo(expected[index] as number, 10));
      }
    });
  }
});

describe('softmax along each axis', () => {
  for (const axis of [0, 1, 2, -1]) {
    it(`Softmax and LogSoftmax axis ${axis} match exp(x) / Σ exp(x)`, () => {
      const normalized = (axis + 3) % 3;
      const softmax = Array.from(toNumberArray(run('Softmax', [x], { axis })));
      const logSoftmax = Array.from(toNumberArray(run('LogSoftmax', [x], { axis })));
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 4; j++)
          for (let k = 0; k < 5; k++) {
            let denominator = 0;
            for (let r = 0; r < (SHAPE[normalized] as number); r++) {
              const c = [i, j, k];
              c[normalized] = r;
              denominator += Math.exp(at(c[0] as number, c[1] as number, c[2] as number));
            }
            const index = (i * 4 + j) * 5 + k;
            expect(softmax[index]).toBeCloseTo(Math.exp(at(i, j, k)) / denominator, 12);
            expect(logSoftmax[index]).toBeCloseTo(at(i, j, k) - Math.log(denominator), 12);
          }
    });
  }
});

describe('large tensors', () => {
  it('Softmax, ReduceSum and ReduceMax on 1M float32 elements (last and first axis) stay fast', () => {
    const big = fromNumbers('float32', [1000, 1000], Float32Array.from({ length: 1_000_000 }, (_, i) => (i % 97) / 10));
    const start = performance.now();
    const softmaxLast = run('Softmax', [big], { axis: -1 });
    const softmaxFirst = run('Softmax', [big], { axis: 0 });
    const sumFirst = run('ReduceSum', [big, fromNumbers('int64', [1], [0])], { keepdims: 0 });
    const maxLast = run('ReduceMax', [big, fromNumbers('int64', [1], [1])], { keepdims: 0 });
    const elapsed = performance.now() - start;
    let rowSum = 0;
    for (let i = 0; i < 1000; i++) rowSum += softmaxLast.data[i] as number;
    let columnSum = 0;
    for (let i = 0; i < 1000; i++) columnSum += softmaxFirst.data[i * 1000] as number;
    expect(rowSum).toBeCloseTo(1, 4);
    expect(columnSum).toBeCloseTo(1, 4);
    expect(sumFirst.shape).toEqual([1000]);
    expect(maxLast.data[0]).toBeCloseTo(9.6, 5);
    expect(elapsed).toBeLessThan(2000);
  });
});
