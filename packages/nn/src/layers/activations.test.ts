// Activations against Math formulas; Softmax, Flatten, Identity, Embedding, Dropout, Sequential.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { F, Generator, Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { checkGradients, pseudoRandom } from '../__fixtures__/gradient-check.js';
import { GELU, HardSwish, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from './activations.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { Identity } from './identity.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

const values = pseudoRandom(12, 51).map((value) => value * 4);
const x = new Tensor(fromNumbers('float32', [3, 4], values));

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(value: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(value));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(value) * (1 - poly * Math.exp(-value * value));
}

describe('activations', () => {
  const cases: [string, { call(input: Tensor): Tensor }, (v: number) => number][] = [
    ['ReLU', new ReLU(), (v) => Math.max(0, v)],
    ['LeakyReLU', new LeakyReLU({ negativeSlope: 0.2 }), (v) => (v >= 0 ? v : 0.2 * v)],
    ['GELU', new GELU(), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
    ['GELU tanh', new GELU({ approximate: 'tanh' }), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
    ['Sigmoid', new Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
    ['Tanh', new Tanh(), Math.tanh],
    ['HardSwish', new HardSwish(), (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
    ['Identity', new Identity(), (v) => v],
  ];
  for (const [name, layer, formula] of cases) {
    it(`${name} matches its formula`, () => {
      expectClose(layer.call(x).values as Float32Array, values.map(formula), { rtol: 1e-5, atol: 2e-6 });
    });
  }

  it('Softmax normalizes along dim', () => {
    const y = new Softmax({ dim: 0 }).call(x).values as Float32Array;
    const expected = values.map((value, index) => {
      const column = index % 4;
      const total = [0, 1, 2].reduce((sum, row) => sum + Math.exp(values[row * 4 + column] as number), 0);
      return Math.exp(value) / total;
    });
    expectClose(y, expected, { rtol: 1e-5, atol: 1e-7 });
  });
});

describe('shape and lookup layers', () => {
  it('Flatten merges startDim..endDim', () => {
    const input = new Tensor(fromNumbers('float32', [2, 3, 4, 5], pseudoRandom(120)));
    expect(new Flatten().call(input).shape).toEqual([2, 60]);
    expect(new Flatten({ startDim: 1, endDim: 2 }).call(input).shape).toEqual([2, 12, 5]);
    expect(new Flatten({ startDim: 0 }).call(input).toArray()).toEqual(input.toArray());
  });

  it('Embedding gathers rows of its weight', () => {
    const embedding = new Embedding({ numEmbeddings: 5, embeddingDim: 3, generator: new Generator(1) });
    const weight = Array.from((embedding.getParameter('weight') as Tensor).values as Float32Array);
    const y = embedding.call(new Tensor(fromNumbers('int64', [2, 2], [4, 0, 4, 2])));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(y.toArray()).toEqual([4, 0, 4, 2].flatMap((row) => weight.slice(row * 3, row * 3 + 3)));
  });

  it('Sequential names children by index and chains them', () => {
    const generator = new Generator(3);
    const model = new Sequential(new Linear({ inFeatures: 4, outFeatures: 2, generator }), new ReLU());
    expect([...model.namedParameters()].map(([name]) => name)).toEqual(['0.weight', '0.bias']);
    expect(model.length).toBe(2);
    expectClose(model.call(x).values as Float32Array, F.relu((model.at(0) as Linear).call(x)).values as Float32Array);
    expect(model.at(-1)).toBeInstanceOf(ReLU);
    model.setModule('1', new Identity());
    expectClose(model.call(x).values as Float32Array, (model.at(0) as Linear).call(x).values as Float32Array);
    expect(() => model.setModule('2', new Identity())).toThrow(/no child module '2'/);
  });
});

describe('Dropout', () => {
  it('drops about p of the elements, scales survivors by 1/(1−p), is reproducible, and is the identity in eval', () => {
    const ones = F.ones([100, 100]);
    const dropout = new Dropout({ p: 0.3, generator: new Generator(5) });
    const y = Array.from(dropout.call(ones).values as Float32Array);
    const kept = y.filter((value) => value !== 0);
    expect(kept.every((value) => Math.abs(value - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(1 - kept.length / y.length - 0.3)).toBeLessThan(0.02);
    const again = Array.from(new Dropout({ p: 0.3, generator: new Generator(5) }).call(ones).values as Float32Array);
    expect(again).toEqual(y);
    dropout.eval();
    expect(dropout.call(ones)).toBe(ones);
    expect(() => new Dropout({ p: 1.5 })).toThrow(ConfigError);
  });

  it('gradient is the mask (finite differences with a fixed mask)', () => {
    const input = new Tensor(fromNumbers('float32', [2, 3], pseudoRandom(6, 3)));
    const probe = new Tensor(fromNumbers('float32', [2, 3], pseudoRandom(6, 4)));
    const dropout = new Dropout({ p: 0.5, generator: new Generator(2) });
    const mask = dropout.call(F.ones([2, 3]));
    const loss = () => F.reduceSum(F.mul(F.mul(input, mask), probe), { keepDims: false });
    input.requireGrad(true);
    const generator = new Generator(2);
    const masked = new Dropout({ p: 0.5, generator }).call(input);
    F.reduceSum(F.mul(masked, probe), { keepDims: false }).backward();
    const expected = (mask.values as Float32Array).map((value, index) => value * (probe.values[index] as number));
    expectClose(input.grad?.values as Float32Array, expected, { rtol: 1e-6 });
    checkGradients(loss, [input]);
  });
});
