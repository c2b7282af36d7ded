// Seeded, explicit random number generation (torch.Generator's idea): xoshiro128** for uniform
// 32-bit draws (Blackman & Vigna), splitmix32 to expand the seed, Box–Muller for normals.
import { fromNumbers } from '@efficientdl/ir';
import { Tensor } from './tensor.js';

function splitmix32(state: number): [number, number] {
  let value = (state + 0x9e3779b9) | 0;
  let mixed = value;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  value = value | 0;
  return [value, mixed >>> 0];
}

export class Generator {
  private readonly state = new Uint32Array(4);
  private spareNormal: number | undefined;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator; the same seed always gives the same sequence. */
  manualSeed(seed: number): this {
    let running = seed | 0;
    for (let index = 0; index < 4; index++) {
      const [next, output] = splitmix32(running);
      running = next;
      this.state[index] = output;
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
    this.spareNormal = undefined;
    return this;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] = (s[2] as number) ^ s0;
    s[3] = (s[3] as number) ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = s0 ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  randomInt(bound: number): number {
    return Math.floor(this.random() * bound);
  }

  /** Standard normal draw (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.randomInt(index + 1);
      const swap = items[index] as T;
      items[index] = items[other] as T;
      items[other] = swap;
    }
    return items;
  }

  /** A random permutation of 0..count-1. */
  permutation(count: number): number[] {
    return this.shuffle(Array.from({ length: count }, (_, index) => index));
  }
}

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}

const defaultGenerator = new Generator(0);

/** The process-wide default generator (seed it with manualSeed for reproducibility). */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

export interface RandomOptions {
  generator?: Generator;
  mean?: number;
  std?: number;
  low?: number;
  high?: number;
}

/** float32 tensor of normal draws (mean 0, std 1 by default). */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const generator = options.generator ?? defaultGenerator;
  const count = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(count);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  for (let index = 0; index < count; index++) values[index] = mean + std * generator.normal();
  return new Tensor(fromNumbers('float32', shape, values));
}

/** float32 tensor of uniform draws in [low, high) ([0, 1) by default). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const generator = options.generator ?? defaultGenerator;
  const count = shape.reduce((product, dim) => product * dim, 1);
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = low + (high - low) * generator.random();
  return new Tensor(fromNumbers('float32', shape, values));
}
