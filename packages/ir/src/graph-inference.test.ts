// Tests for inferShapes (constant propagation through Constant / Shape / shape arithmetic) and
// validateGraph (structural GraphErrors, declared-vs-inferred ShapeError / DTypeError).
import { describe, expect, it } from 'vitest';
import { DTypeError, GraphError, ShapeError } from './errors.js';
import { createGraph, type NodeInit } from './graph.js';
import { inferShapes, validateGraph } from './graph-inference.js';
import { fromNumbers, tensorData } from './tensor-data.js';

function linearGraph(nodes: NodeInit[], outputShape: (number | string)[] = ['N', 4]) {
  return createGraph({
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 8] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: outputShape }],
    initializers: { w: tensorData('float32', [8, 4]) },
    nodes,
  });
}

describe('inferShapes', () => {
  it('fills valueInfo for intermediate values and refines outputs', () => {
    const graph = linearGraph([
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['y'] },
    ]);
    const inferred = inferShapes(graph);
    expect(inferred.valueInfo.get('h')).toEqual({ name: 'h', dtype: 'float32', shape: ['N', 4] });
    expect(inferred.valueInfo.has('y')).toBe(false);
    expect(inferred.outputs[0]?.shape).toEqual(['N', 4]);
    expect(graph.valueInfo.size).toBe(0);
  });

  it('resolves Reshape(x, Shape(y)) from a static Shape output', () => {
    const graph = createGraph({
      inputs: [
        { name: 'x', dtype: 'float32', shape: [2, 6] },
        { name: 'like', dtype: 'float32', shape: [3, 4] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', shape: [3, 4] }],
      nodes: [
        { op: 'Shape', inputs: ['like'], outputs: ['s'] },
        { op: 'Reshape', inputs: ['x', 's'], outputs: ['y'] },
      ],
    });
    expect(inferShapes(graph).outputs[0]?.shape).toEqual([3, 4]);
  });

  it('propagates Constant nodes and Gather/Unsqueeze/Concat shape arithmetic', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['A', 'B'] }],
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['s'] },
        { op: 'Constant', outputs: ['zero'], inputs: [], attrs: { value: fromNumbers('int64', [], [0]) } },
        { op: 'Gather', inputs: ['s', 'zero'], outputs: ['batch'] },
        { op: 'Constant', outputs: ['axes'], inputs: [], attrs: { value_ints: [0] } },
        { op: 'Unsqueeze', inputs: ['batch', 'axes'], outputs: ['batch1'] },
        { op: 'Constant', outputs: ['rest'], inputs: [], attrs: { value_ints: [-1] } },
        { op: 'Concat', inputs: ['batch1', 'rest'], outputs: ['target'], attrs: { axis: 0 } },
        { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
      ],
    });
    expect(inferShapes(graph).outputs[0]?.shape).toEqual([2, 12]);
  });

  it('gives fresh symbolic dims when a shape operand is a runtime value', () => {
    const graph = createGraph({
      inputs: [
        { name: 'x', dtype: 'float32', shape: [2, 6] },
        { name: 'shape', dtype: 'int64', shape: [3] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['a', 'b', 'c'] }],
      nodes: [{ name: 'r', op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
    });
    expect(inferShapes(graph).outputs[0]?.shape).toEqual(['a', 'b', 'c']);
  });
});

describe('validateGraph', () => {
  it('accepts a consistent graph (symbolic dims are compatible with anything)', () => {
    const graph = linearGraph([{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }], ['B', 4]);
    expect(() => validateGraph(graph)).not.toThrow();
  });

  it('throws GraphError for cycles, dangling inputs, duplicate producers and unproduced outputs', () => {
    const cycle = linearGraph([
      { name: 'a', op: 'Relu', inputs: ['z'], outputs: ['y'] },
      { name: 'b', op: 'Relu', inputs: ['y'], outputs: ['z'] },
    ]);
    expect(() => validateGraph(cycle)).toThrow(GraphError);
    expect(() => validateGraph(linearGraph([{ op: 'Relu', inputs: ['missing'], outputs: ['y'] }]))).toThrow(/missing/);
    const duplicate = linearGraph([
      { op: 'Relu', inputs: ['x'], outputs: ['y'] },
      { op: 'Neg', inputs: ['x'], outputs: ['y'] },
    ]);
    expect(() => validateGraph(duplicate)).toThrow(GraphError);
    expect(() => validateGraph(linearGraph([{ op: 'Relu', inputs: ['x'], outputs: ['h'] }]))).toThrow(GraphError);
  });

  it('throws ShapeError / DTypeError for declared outputs or valueInfo that contradict inference', () => {
    const wrongShape = linearGraph([{ name: 'mm', op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }], ['N', 5]);
    expect(() => validateGraph(wrongShape)).toThrow(ShapeError);
    expect(() => validateGraph(wrongShape)).toThrow(/'y'.*'mm'/);
    const base = linearGraph([
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['y'] },
    ]);
    const wrongType = { ...base, valueInfo: new Map([['h', { name: 'h', dtype: 'float16' as const, shape: ['N', 4] }]]) };
    expect(() => validateGraph(wrongType)).toThrow(DTypeError);
    const wrongRank = { ...base, valueInfo: new Map([['h', { name: 'h', dtype: 'float32' as const, shape: [4] }]]) };
    expect(() => validateGraph(wrongRank)).toThrow(ShapeError);
  });

  it('surfaces node inference errors', () => {
    const bad = linearGraph([{ name: 'sum', op: 'Add', inputs: ['x', 'w'], outputs: ['y'] }]);
    expect(() => validateGraph(bad)).toThrow(ShapeError);
    expect(() => validateGraph(bad)).toThrow(/Add \(node 'sum'\).*\(N, 8\) and \(8, 4\)/);
  });
});
