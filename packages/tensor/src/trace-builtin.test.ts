// Tests trace + runGraph on built-in ONNX ops (MatMul, Add, Relu, Reshape, Identity routing):
// the traced graph's structure, and node-by-node replay against eager execution as the oracle.
import { fromNumbers } from '@efficientdl/ir';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import * as F from './functional.js';
import { Generator, randn } from './random.js';
import { runGraph } from './run-graph.js';
import { Tensor } from './tensor.js';
import { type Traceable, trace } from './trace.js';

/** A two-layer perceptron: relu(x @ w1 + b1) @ w2, reshaped to (N, 2, 2). */
class Perceptron implements Traceable {
  private readonly generator = new Generator(3);
  readonly w1 = randn([4, 8], { generator: this.generator });
  readonly b1 = randn([8], { generator: this.generator });
  readonly w2 = randn([8, 4], { generator: this.generator });

  forward(x: Tensor): Tensor {
    // x: (N, 4) → hidden: (N, 8) → out: (N, 4) → (N, 2, 2)
    const hidden = F.relu(F.add(F.matmul(x, this.w1), this.b1));
    return F.reshape(F.matmul(hidden, this.w2), [-1, 2, 2]);
  }

  *namedTensors(): Iterable<[string, Tensor]> {
    yield ['fc1.weight', this.w1];
    yield ['fc1.bias', this.b1];
    yield ['fc2.weight', this.w2];
  }
}

describe('trace on built-in ops', () => {
  it('records MatMul → Add → Relu → MatMul → Reshape with named weights and an int64 shape constant', () => {
    const model = new Perceptron();
    const graph = trace(model, [randn([3, 4], { generator: new Generator(1) })], { dynamicBatch: true });
    expect(graph.nodes.map((node) => node.name)).toEqual(['MatMul_0', 'Add_1', 'Relu_2', 'MatMul_3', 'Reshape_4']);
    expect(graph.nodes[0]?.inputs).toEqual(['input_0', 'fc1.weight']);
    expect(graph.nodes[1]?.inputs).toEqual(['MatMul_0_output_0', 'fc1.bias']);
    expect(graph.nodes[4]?.inputs).toEqual(['MatMul_3_output_0', 'const_0']);
    expect(graph.nodes[4]?.outputs).toEqual(['output_0']);
    expect([...graph.initializers.keys()].sort()).toEqual(['const_0', 'fc1.bias', 'fc1.weight', 'fc2.weight']);
    const shapeConstant = graph.initializers.get('const_0');
    expect(shapeConstant?.dtype).toBe('int64');
    expect([...(shapeConstant?.data ?? [])]).toEqual([-1n, 2n, 2n]);
    expect(graph.inputs).toEqual([{ name: 'input_0', dtype: 'float32', shape: ['N', 4] }]);
    expect(graph.outputs).toEqual([{ name: 'output_0', dtype: 'float32', shape: ['N', 2, 2] }]);
  });

  it('replays node by node to the eager output, at the traced and at another batch size', () => {
    const model = new Perceptron();
    const graph = trace(model, [randn([3, 4], { generator: new Generator(1) })], { dynamicBatch: true });
    for (const batch of [3, 5]) {
      const input = randn([batch, 4], { generator: new Generator(10 + batch) });
      const eager = model.forward(input);
      const replayed = runGraph(graph, { input_0: input }).output_0 as Tensor;
      expect(replayed.shape).toEqual([batch, 2, 2]);
      expectClose(replayed.data, eager.data, { rtol: 0, atol: 0 });
    }
  });

  it('routes outputs that are inputs, weights or repeats through Identity nodes', () => {
    const weight = new Tensor(fromNumbers('float32', [2], [5, 6]));
    const graph = trace((x: Tensor) => {
      const doubled = F.add(x, x);
      return [doubled, x, doubled, weight];
    }, [new Tensor(fromNumbers('float32', [2], [1, 2]))]);
    expect(graph.nodes.map((node) => [node.op, node.inputs, node.outputs])).toEqual([
      ['Add', ['input_0', 'input_0'], ['output_0']],
      ['Identity', ['input_0'], ['output_1']],
      ['Identity', ['output_0'], ['output_2']],
      ['Identity', ['const_0'], ['output_3']],
    ]);
    const result = runGraph(graph, { input_0: new Tensor(fromNumbers('float32', [2], [3, 4])) });
    expect(graph.outputs.map((value) => [...(result[value.name] as Tensor).values])).toEqual([
      [6, 8],
      [3, 4],
      [6, 8],
      [5, 6],
    ]);
  });
});
