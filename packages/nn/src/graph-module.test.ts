// GraphModule: a hand-built Graph run as a Module (forward against hand-computed values, backward
// giving parameter gradients), trace → GraphModule round trips, multiple outputs, input checks.
import { ConfigError, ShapeError, createGraph, fromNumbers } from '@efficientdl/ir';
import { F, Generator, Tensor, trace } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { GraphModule } from './graph-module.js';
import { ReLU } from './layers/activations.js';
import { Linear } from './layers/linear.js';
import { Sequential } from './layers/sequential.js';
import { SGD } from './optim/sgd.js';

// y = Reshape(Relu(x · W + b), [4]); x: (2, 2), W: (2, 2), b: (2)
function handGraph() {
  return createGraph({
    name: 'tiny',
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 2] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [4] }],
    initializers: {
      'fc.weight': fromNumbers('float32', [2, 2], [1, -1, 2, 0.5]),
      'fc.bias': fromNumbers('float32', [2], [0.5, -3]),
      'flat.shape': fromNumbers('int64', [1], [4]),
    },
    nodes: [
      { op: 'MatMul', inputs: ['x', 'fc.weight'], outputs: ['product'] },
      { op: 'Add', inputs: ['product', 'fc.bias'], outputs: ['biased'] },
      { op: 'Relu', inputs: ['biased'], outputs: ['activated'] },
      { op: 'Reshape', inputs: ['activated', 'flat.shape'], outputs: ['y'], name: 'flatten' },
    ],
  });
}

describe('GraphModule', () => {
  it('turns float initializers into parameters and integer ones into buffers', () => {
    const module = GraphModule.fromGraph(handGraph());
    expect([...module.namedParameters()].map(([name]) => name)).toEqual(['fc.weight', 'fc.bias']);
    expect([...module.namedBuffers()].map(([name]) => name)).toEqual(['flat.shape']);
    expect(Object.keys(module.stateDict())).toEqual(['fc.weight', 'fc.bias', 'flat.shape']);
  });

  it('forward matches the hand computation and backward gives parameter gradients', () => {
    const module = GraphModule.fromGraph(handGraph());
    // x = [[1, 2], [3, -1]]
    // x·W = [[1·1 + 2·2, 1·(−1) + 2·0.5], [3·1 − 1·2, 3·(−1) − 1·0.5]] = [[5, 0], [1, −3.5]]
    // + b = [[5.5, −3], [1.5, −6.5]] → Relu → [5.5, 0, 1.5, 0]
    const x = new Tensor(fromNumbers('float32', [2, 2], [1, 2, 3, -1]));
    const y = module.call(x) as Tensor;
    expect(y.shape).toEqual([4]);
    expect(y.toArray()).toEqual([5.5, 0, 1.5, 0]);
    // loss = Σ y · [1, 2, 3, 4]; upstream on the (2, 2) pre-activation = [[1, 0], [3, 0]] (Relu mask)
    F.reduceSum(F.mul(y, F.tensor([1, 2, 3, 4])), { keepDims: false }).backward();
    const weight = module.getParameter('fc.weight') as Tensor;
    const bias = module.getParameter('fc.bias') as Tensor;
    // dW = xᵀ · g = [[1·1 + 3·3, 0], [2·1 + (−1)·3, 0]] = [[10, 0], [−1, 0]]; db = [4, 0]
    expect(weight.grad?.toArray()).toEqual([10, 0, -1, 0]);
    expect(bias.grad?.toArray()).toEqual([4, 0]);
    expect(module.getBuffer('flat.shape')?.grad).toBeUndefined();
  });

  it('trains in place and exports updated initializers with toGraph', () => {
    const graph = handGraph();
    const module = GraphModule.fromGraph(graph);
    const optimizer = new SGD(module.parameters(), { lr: 0.1 });
    const x = new Tensor(fromNumbers('float32', [2, 2], [1, 2, 3, -1]));
    F.reduceSum(module.call(x) as Tensor, { keepDims: false }).backward(); // dW = xᵀ·[[1, 0], [1, 0]] = [[4, 0], [1, 0]]
    optimizer.step();
    expect(Array.from(graph.initializers.get('fc.weight')?.data as Float32Array)).toEqual([1, -1, 2, 0.5]);
    expectClose(module.toGraph().initializers.get('fc.weight') as never, { shape: [2, 2], values: [1 - 0.4, -1, 2 - 0.1, 0.5] });
  });

  it('wraps a traced module: same outputs and the same parameter names', () => {
    const generator = new Generator(4);
    const model = new Sequential(new Linear({ inFeatures: 3, outFeatures: 4, generator }), new ReLU(), new Linear({ inFeatures: 4, outFeatures: 2, generator }));
    const input = new Tensor(fromNumbers('float32', [5, 3], Array.from({ length: 15 }, (_, index) => Math.sin(index))));
    const graphModule = GraphModule.fromGraph(trace(model, [input]));
    expectClose((graphModule.call(input) as Tensor).data, model.call(input).data, { rtol: 1e-6, atol: 1e-7 });
    const modelNames = Object.keys(model.stateDict()).sort();
    const graphNames = [...graphModule.namedParameters()].map(([name]) => name).sort();
    expect(graphNames).toEqual(modelNames);
    const zeroed = model.stateDict();
    for (const data of Object.values(zeroed)) (data.data as Float32Array).fill(0);
    graphModule.loadStateDict(zeroed, { strict: false });
    expect((graphModule.call(input) as Tensor).toArray()).toEqual(new Array(10).fill(0));
  });

  it('returns every output of a multi-output graph and checks inputs', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 4] }],
      outputs: [
        { name: 'left', dtype: 'float32', shape: ['N', 1] },
        { name: 'right', dtype: 'float32', shape: ['N', 3] },
      ],
      initializers: { sizes: fromNumbers('int64', [2], [1, 3]) },
      nodes: [{ op: 'Split', inputs: ['x', 'sizes'], outputs: ['left', 'right'], attrs: { axis: 1 } }],
    });
    const module = GraphModule.fromGraph(graph);
    const outputs = module.call(new Tensor(fromNumbers('float32', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]))) as Tensor[];
    expect(outputs.map((output) => output.toArray())).toEqual([[1, 5], [2, 3, 4, 6, 7, 8]]);
    expect(module.run({ x: new Tensor(fromNumbers('float32', [1, 4], [0, 1, 2, 3])) })[0]?.toArray()).toEqual([0]);
    expect(() => module.call(new Tensor(fromNumbers('float32', [2, 3], [1, 2, 3, 4, 5, 6])))).toThrow(ShapeError);
    expect(() => module.call()).toThrow(ConfigError);
  });
});
