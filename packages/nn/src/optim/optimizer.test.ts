// SGD / Adam / AdamW against hand-computed steps (PyTorch's documented update rules), convergence
// on a quadratic, and state-dict round trips.
import { ConfigError, ShapeError, fromNumbers } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

function parameter(values: number[]): Tensor {
  return new Tensor(fromNumbers('float32', [values.length], values)).requireGrad();
}

function setGrad(target: Tensor, values: number[]): void {
  target.grad = new Tensor(fromNumbers('float32', [values.length], values));
}

function values(target: Tensor): number[] {
  return Array.from(target.values as Float32Array);
}

/** Runs `steps` steps with the constant gradient `gradient`. */
function run(optimizer: Optimizer, target: Tensor, gradient: number[], steps: number): void {
  for (let step = 0; step < steps; step++) {
    setGrad(target, gradient);
    optimizer.step();
  }
}

describe('SGD', () => {
  it('plain step: p − lr·g', () => {
    const p = parameter([1, -2]);
    run(new SGD([p], { lr: 0.1 }), p, [0.5, -1], 1);
    expect(values(p)[0]).toBeCloseTo(0.95, 6);
    expect(values(p)[1]).toBeCloseTo(-1.9, 6);
  });

  it('momentum: buffers 0.5, 0.95, 1.355 give 0.95, 0.855, 0.7195', () => {
    const p = parameter([1]);
    const optimizer = new SGD([p], { lr: 0.1, momentum: 0.9 });
    const expected = [0.95, 0.855, 0.7195];
    for (const value of expected) {
      run(optimizer, p, [0.5], 1);
      expect(values(p)[0]).toBeCloseTo(value, 5);
    }
  });

  it('dampening scales all but the first buffer update', () => {
    const p = parameter([1]);
    // buffers: 0.5, then 0.9·0.5 + 0.5·0.5 = 0.7 → p: 0.95, 0.88
    run(new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), p, [0.5], 2);
    expect(values(p)[0]).toBeCloseTo(0.88, 5);
  });

  it('nesterov: g + μ·buffer', () => {
    const p = parameter([1]);
    run(new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), p, [0.5], 1);
    expect(values(p)[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.9 * 0.5), 6);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(ConfigError);
  });

  it('weight decay adds wd·p to the gradient', () => {
    const p = parameter([2]);
    run(new SGD([p], { lr: 0.1, weightDecay: 0.5 }), p, [0], 1);
    expect(values(p)[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
  });

  it('skips parameters without gradients and zeroGrad clears them', () => {
    const a = parameter([1]);
    const b = parameter([1]);
    const optimizer = new SGD([a, b], { lr: 1 });
    setGrad(a, [1]);
    optimizer.step();
    expect(values(a)).toEqual([0]);
    expect(values(b)).toEqual([1]);
    optimizer.zeroGrad();
    expect(a.grad).toBeUndefined();
  });
});

describe('Adam / AdamW', () => {
  it('first Adam step moves each element by lr·sign(g) (bias-corrected)', () => {
    const p = parameter([1, 1, 1]);
    run(new Adam([p], { lr: 0.01 }), p, [3, -0.2, 1e-3], 1);
    const after = values(p);
    expect(after[0]).toBeCloseTo(0.99, 6);
    expect(after[1]).toBeCloseTo(1.01, 6);
    expect(after[2]).toBeCloseTo(1 - 0.01 * (1e-3 / (1e-3 + 1e-8)), 6);
  });

  it('second step with a changed gradient matches the hand computation', () => {
    const p = parameter([0]);
    const optimizer = new Adam([p], { lr: 0.1, betas: [0.5, 0.75] });
    run(optimizer, p, [1], 1); // m = 0.5, v = 0.25, mHat = 1, vHat = 1 → p = −0.1
    run(optimizer, p, [-1], 1); // m = −0.25, v = 0.4375; mHat = −0.25/0.75, vHat = 0.4375/0.4375
    const expected = -0.1 - (0.1 * (-0.25 / 0.75)) / (Math.sqrt(0.4375 / (1 - 0.75 ** 2)) + 1e-8);
    expect(values(p)[0]).toBeCloseTo(expected, 6);
  });

  it('Adam weight decay is an L2 gradient term; AdamW decays the weights directly', () => {
    const adam = parameter([2]);
    run(new Adam([adam], { lr: 0.1, weightDecay: 0.5 }), adam, [0], 1);
    expect(values(adam)[0]).toBeCloseTo(1.9, 6); // g = wd·p = 1 → lr·sign
    const adamW = parameter([2]);
    run(new AdamW([adamW], { lr: 0.1, weightDecay: 0.5 }), adamW, [0], 1);
    expect(values(adamW)[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6); // zero gradient: only the decay
    expect(new AdamW([adamW]).weightDecay).toBe(0.01);
  });

  it('minimises a quadratic', () => {
    for (const make of [(p: Tensor) => new Adam([p], { lr: 0.1 }), (p: Tensor) => new SGD([p], { lr: 0.1, momentum: 0.5 })]) {
      const p = parameter([5, -3]);
      const optimizer = make(p);
      for (let step = 0; step < 300; step++) {
        const [x, y] = values(p) as [number, number];
        setGrad(p, [2 * (x - 1), 2 * (y - 2)]); // ∇ of (x − 1)² + (y − 2)²
        optimizer.step();
      }
      expect(values(p)[0]).toBeCloseTo(1, 2);
      expect(values(p)[1]).toBeCloseTo(2, 2);
    }
  });

  it('state dict round trip continues identically', () => {
    const gradients = [[1, -2], [0.5, 0.1], [-0.3, 0.7], [2, 2]];
    const reference = parameter([1, 1]);
    const referenceOptimizer = new AdamW([reference], { lr: 0.05 });
    for (const gradient of gradients) run(referenceOptimizer, reference, gradient, 1);

    const first = parameter([1, 1]);
    const firstOptimizer = new AdamW([first], { lr: 0.05 });
    for (const gradient of gradients.slice(0, 2)) run(firstOptimizer, first, gradient, 1);
    const state = JSON.parse(JSON.stringify({ ...firstOptimizer.stateDict(), tensors: {} }));
    const second = parameter(values(first));
    const secondOptimizer = new AdamW([second], { lr: 0.5 });
    secondOptimizer.loadStateDict({ ...state, tensors: firstOptimizer.stateDict().tensors });
    expect(secondOptimizer.lr).toBe(0.05);
    for (const gradient of gradients.slice(2)) run(secondOptimizer, second, gradient, 1);
    expect(values(second)).toEqual(values(reference));
  });

  it('rejects state of another optimizer kind or shape', () => {
    const p = parameter([1, 1]);
    const adam = new Adam([p]);
    run(adam, p, [1, 1], 1);
    expect(() => new SGD([p], { lr: 1 }).loadStateDict(adam.stateDict())).toThrow(ConfigError);
    const other = new Adam([parameter([1, 2, 3])]);
    expect(() => other.loadStateDict(adam.stateDict())).toThrow(ShapeError);
    expect(() => new Adam([])).toThrow(ConfigError);
  });
});
