// foldConstants tested with a tiny in-test Backend (float32 Add and Mul only).
import { describe, expect, it } from 'vitest';
import { BACKEND_INTERFACE_VERSION, type Backend } from '../backend.js';
import { createGraph } from '../graph.js';
import { type TensorData, fromNumbers, toNumberArray } from '../tensor-data.js';
import { foldConstants } from './fold-constants.js';

/** Elementwise float32 Add/Mul on equal shapes: enough to exercise folding. */
function tinyBackend(): Backend<TensorData> & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'tiny',
    interfaceVersion: BACKEND_INTERFACE_VERSION,
    calls,
    supports: (op, dtypes) => (op === 'Add' || op === 'Mul') && dtypes.every((dtype) => dtype === 'float32'),
    upload: (data) => data,
    download: (data) => data,
    run(node, inputs) {
      calls.push(node.name);
      const [a, b] = inputs.map((input) => toNumberArray(input as TensorData));
      const values = (a as Float64Array).map((value, index) => (node.op === 'Add' ? value + (b?.[index] as number) : value * (b?.[index] as number)));
      return [fromNumbers('float32', (inputs[0] as TensorData).shape, values)];
    },
  };
}

const f32 = (values: number[]) => fromNumbers('float32', [values.length], values);

function graphWithConstants() {
  return createGraph({
    inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
    initializers: { a: f32([1, 2]), b: f32([3, 4]), unused: f32([9]) },
    nodes: [
      { name: 'sum', op: 'Add', inputs: ['a', 'b'], outputs: ['ab'] },
      { name: 'scaled', op: 'Mul', inputs: ['ab', 'b'], outputs: ['k'] },
      { name: 'apply', op: 'Mul', inputs: ['x', 'k'], outputs: ['y'] },
    ],
  });
}

describe('foldConstants', () => {
  it('evaluates constant subgraphs into initializers through the backend', () => {
    const backend = tinyBackend();
    const folded = foldConstants(graphWithConstants(), { backend });
    expect(folded.nodes.map((node) => node.name)).toEqual(['apply']);
    // (a + b) * b = [4*3, 6*4]
    expect(Array.from(toNumberArray(folded.initializers.get('k') as TensorData))).toEqual([12, 24]);
    expect(backend.calls).toEqual(['sum', 'scaled']);
    // inputs only the folded nodes read are gone; unrelated initializers stay
    expect([...folded.initializers.keys()].sort()).toEqual(['k', 'unused']);
  });

  it('folds Constant nodes and leaves unsupported or non-constant nodes alone', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
      initializers: { a: f32([1, 2]) },
      nodes: [
        { name: 'c', op: 'Constant', inputs: [], outputs: ['c'], attrs: { value: f32([5, 6]) } },
        { name: 'sub', op: 'Sub', inputs: ['a', 'c'], outputs: ['d'] },
        { name: 'out', op: 'Add', inputs: ['x', 'd'], outputs: ['y'] },
      ],
    });
    const folded = foldConstants(graph, { backend: tinyBackend() });
    expect(folded.nodes.map((node) => node.name)).toEqual(['sub', 'out']);
    expect(Array.from(toNumberArray(folded.initializers.get('c') as TensorData))).toEqual([5, 6]);
  });

  it('returns the same graph when nothing folds', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
      nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
    });
    expect(foldConstants(graph, { backend: tinyBackend() })).toBe(graph);
  });
});
