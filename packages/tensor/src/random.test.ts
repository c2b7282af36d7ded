// The seeded RNG: determinism per seed, uniform and normal moments, integer bounds, permutations,
// and the randn/rand tensor factories.
import { describe, expect, it } from 'vitest';
import { Generator, rand, randn } from './random.js';

const draw = (generator: Generator, count: number, fn: (g: Generator) => number) => Array.from({ length: count }, () => fn(generator));

describe('Generator', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const first = draw(new Generator(42), 20, (g) => g.nextUint32());
    expect(draw(new Generator(42), 20, (g) => g.nextUint32())).toEqual(first);
    expect(draw(new Generator(43), 20, (g) => g.nextUint32())).not.toEqual(first);
  });

  it('manualSeed restarts the sequence, including the cached normal', () => {
    const generator = new Generator(7);
    const normals = draw(generator, 3, (g) => g.normal());
    generator.manualSeed(7);
    expect(draw(generator, 3, (g) => g.normal())).toEqual(normals);
  });

  it('uniform draws lie in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const values = draw(new Generator(1), 100_000, (g) => g.random());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('normal draws have mean ≈ 0 and std ≈ 1 over 100k draws', () => {
    const values = draw(new Generator(2), 100_000, (g) => g.normal());
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const std = Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    const beyondTwo = values.filter((value) => Math.abs(value) > 2).length / values.length;
    expect(Math.abs(beyondTwo - 0.0455)).toBeLessThan(0.005);
  });

  it('randomInt stays in [0, bound) and hits every value', () => {
    const values = draw(new Generator(3), 1000, (g) => g.randomInt(5));
    expect(new Set(values)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('permutation returns each index once, deterministically', () => {
    const permutation = new Generator(4).permutation(50);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(new Generator(4).permutation(50)).toEqual(permutation);
  });
});

describe('randn and rand', () => {
  it('produce float32 tensors of the shape, honouring mean/std and low/high', () => {
    const normal = randn([200, 100], { generator: new Generator(5), mean: 3, std: 0.5 });
    expect([normal.dtype, normal.shape]).toEqual(['float32', [200, 100]]);
    const values = normal.toArray();
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    const uniform = rand([1000], { generator: new Generator(6), low: -2, high: 2 }).toArray();
    expect(uniform.every((value) => value >= -2 && value < 2)).toBe(true);
  });

  it('are reproducible with an explicit generator', () => {
    expect(randn([5], { generator: new Generator(9) }).toArray()).toEqual(randn([5], { generator: new Generator(9) }).toArray());
  });
});
