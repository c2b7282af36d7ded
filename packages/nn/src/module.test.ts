// Module: dotted names, traversal, train/eval, stateDict snapshots and validated loadStateDict.
import { ConfigError, DTypeError, ShapeError, type TensorData, fromNumbers } from '@efficientdl/ir';
import { Generator, Tensor, tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm2d } from './layers/batch-norm.js';
import { Conv2d } from './layers/conv2d.js';
import { Linear } from './layers/linear.js';
import { Sequential } from './layers/sequential.js';
import { Module } from './module.js';

class Net extends Module {
  readonly features: Sequential;
  readonly head: Linear;
  constructor() {
    super();
    const generator = new Generator(1);
    this.features = this.registerModule(
      'features',
      new Sequential(new Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3, generator }), new BatchNorm2d({ numFeatures: 2 })),
    );
    this.head = this.registerModule('head', new Linear({ inFeatures: 4, outFeatures: 3, generator }));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

describe('Module', () => {
  it('names parameters and buffers with dotted paths, in registration order', () => {
    const net = new Net();
    expect([...net.namedParameters()].map(([name]) => name)).toEqual([
      'features.0.weight',
      'features.0.bias',
      'features.1.weight',
      'features.1.bias',
      'head.weight',
      'head.bias',
    ]);
    expect([...net.namedBuffers()].map(([name]) => name)).toEqual([
      'features.1.running_mean',
      'features.1.running_var',
      'features.1.num_batches_tracked',
    ]);
    expect([...net.namedModules()].map(([name]) => name)).toEqual(['', 'features', 'features.0', 'features.1', 'head']);
    expect([...net.children()]).toHaveLength(2);
    expect(net.parameterCount()).toBe(2 * 9 + 2 + 2 + 2 + 12 + 3);
    expect([...net.parameters()].every((parameter) => parameter.requiresGrad)).toBe(true);
    expect([...net.namedTensors()].map(([name]) => name)).toHaveLength(9);
  });

  it('rejects duplicate and dotted member names', () => {
    const net = new Net();
    expect(() => net.registerParameter('head', tensor([1]))).toThrow(ConfigError);
    expect(() => net.registerBuffer('a.b', tensor([1]))).toThrow(ConfigError);
  });

  it('propagates train()/eval() to every descendant', () => {
    const net = new Net().eval();
    expect([...net.modules()].every((module) => !module.training)).toBe(true);
    net.train();
    expect([...net.modules()].every((module) => module.training)).toBe(true);
  });

  it('stateDict is a snapshot that loadStateDict restores', () => {
    const net = new Net();
    const state = net.stateDict();
    const weight = net.head.weight.values as Float32Array;
    const original = Array.from(weight);
    weight.fill(7);
    expect(Array.from(state['head.weight']?.data as Float32Array)).toEqual(original);
    net.loadStateDict(state);
    expect(Array.from(net.head.weight.values as Float32Array)).toEqual(original);
    expect(state['features.1.num_batches_tracked']?.dtype).toBe('int64');
  });

  it('loads another model of the same architecture', () => {
    const source = new Net();
    const target = new Net();
    (source.head.bias?.values as Float32Array).fill(0.5);
    target.loadStateDict(source.stateDict());
    expect(Array.from(target.head.bias?.values as Float32Array)).toEqual([0.5, 0.5, 0.5]);
  });

  it('throws typed errors naming the key and modifies nothing on failure', () => {
    const net = new Net();
    const before = net.stateDict();
    const wrongShape: Record<string, TensorData> = { ...net.stateDict(), 'head.weight': fromNumbers('float32', [4, 3], new Array(12).fill(1)) };
    (wrongShape['features.0.bias']?.data as Float32Array).fill(9); // would be applied if not validated first
    expect(() => net.loadStateDict(wrongShape)).toThrow(ShapeError);
    expect(() => net.loadStateDict(wrongShape)).toThrow(/head\.weight/);
    const wrongDtype = { ...net.stateDict(), 'head.bias': fromNumbers('float64', [3], [1, 2, 3]) };
    expect(() => net.loadStateDict(wrongDtype)).toThrow(DTypeError);
    const { 'head.bias': _removed, ...missing } = net.stateDict();
    expect(() => net.loadStateDict(missing)).toThrow(ConfigError);
    expect(() => net.loadStateDict(missing)).toThrow(/head\.bias/);
    expect(() => net.loadStateDict({ ...net.stateDict(), extra: fromNumbers('float32', [1], [1]) })).toThrow(/extra/);
    expect(net.stateDict()).toEqual(before);
  });

  it('non-strict loading reports missing and unexpected keys', () => {
    const net = new Net();
    const result = net.loadStateDict(
      { 'head.bias': new Tensor(fromNumbers('float32', [3], [1, 2, 3])), stray: fromNumbers('float32', [1], [0]) },
      { strict: false },
    );
    expect(result.unexpectedKeys).toEqual(['stray']);
    expect(result.missingKeys).toContain('head.weight');
    expect(Array.from(net.head.bias?.values as Float32Array)).toEqual([1, 2, 3]);
  });

  it('describes itself', () => {
    expect(new Net().toString()).toContain('features.0: Conv2d(1 → 2, 3×3');
  });
});
