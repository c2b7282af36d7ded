// exportOnnx: round trips keep node, value and initializer names and values; ai.efficientdl ops
// keep their domain; opset-17 export downgrades Reduce* axes, Split num_outputs and
// GroupNormalization scale/bias, and refuses what opset 17 cannot express.
import { readFileSync } from 'node:fs';
import { type Graph, type TensorData, UnsupportedOpError, createGraph, fromNumbers, toNumberArray, validateGraph } from '@efficientdl/ir';
import { runGraph } from '@efficientdl/tensor';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { decodeModelProto } from './decode-model.js';
import { exportOnnx } from './export-onnx.js';
import { importOnnx } from './import-onnx.js';

function values(graph: Graph, feeds: Record<string, TensorData>): number[][] {
  const results = runGraph(graph, feeds);
  return graph.outputs.map((value) => Array.from(toNumberArray(results[value.name]?.data as TensorData)));
}

function expectSameGraph(actual: Graph, expected: Graph): void {
  expect(actual.nodes.map((node) => [node.name, node.op, node.domain, node.inputs, node.outputs])).toEqual(
    expected.nodes.map((node) => [node.name, node.op, node.domain, node.inputs, node.outputs]),
  );
  expect(actual.inputs).toEqual(expected.inputs);
  expect(actual.outputs).toEqual(expected.outputs);
  expect([...actual.initializers.keys()]).toEqual([...expected.initializers.keys()]);
  for (const [name, tensor] of expected.initializers) expect(actual.initializers.get(name), name).toEqual(tensor);
}

const x = fromNumbers('float32', [1, 4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);

/** A small modern graph touching every opset-17 downgrade. */
function modernGraph(scale: number[]): Graph {
  return validateGraph(
    createGraph({
      name: 'modern',
      nodes: [
        { name: 'mean', op: 'ReduceMean', inputs: ['x', 'axes'], outputs: ['m'], attrs: { keepdims: 1 } },
        { name: 'sub', op: 'Sub', inputs: ['x', 'm'], outputs: ['centered'] },
        { name: 'split', op: 'Split', inputs: ['centered'], outputs: ['a', 'b'], attrs: { axis: 1, num_outputs: 2 } },
        { name: 'join', op: 'Concat', inputs: ['b', 'a'], outputs: ['joined'], attrs: { axis: 1 } },
        { name: 'norm', op: 'GroupNormalization', inputs: ['joined', 'scale', 'bias'], outputs: ['y'], attrs: { num_groups: 2, epsilon: 1e-5 } },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 4, 2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 4, 2] }],
      initializers: {
        axes: fromNumbers('int64', [1], [2]),
        scale: fromNumbers('float32', [4], scale),
        bias: fromNumbers('float32', [4], [0.5, 0.5, -1, -1]),
      },
    }),
  );
}

describe('exportOnnx', () => {
  it.skipIf(!hasSharedData('models', 'mnist-8'))('round-trips mnist-8 with names and values intact', () => {
    const original = importOnnx(readFileSync(sharedDataPath('models', 'mnist-8', 'model.onnx')));
    const again = importOnnx(exportOnnx(original, { producerName: 'test' }));
    expectSameGraph(again, original);
    const input = original.inputs[0]?.name as string;
    const feeds = { [input]: fromNumbers('float32', [1, 1, 28, 28], Array.from({ length: 784 }, (_, index) => (index % 17) / 17)) };
    expect(values(again, feeds)).toEqual(values(original, feeds));
  });

  it('round-trips a modern graph at opset 21 and keeps symbolic dims', () => {
    const graph = modernGraph([1, 1, 2, 2]);
    const bytes = exportOnnx(graph);
    const model = decodeModelProto(bytes);
    expect(model.opset_import.map((entry) => [entry.domain, Number(entry.version)])).toEqual([['', 21]]);
    const again = importOnnx(bytes);
    expectSameGraph(again, graph);
    expect(again.inputs[0]?.shape).toEqual(['N', 4, 2]);
    expect(values(again, { x })).toEqual(values(graph, { x }));
  });

  it('downgrades to opset 17 with the same results', () => {
    const graph = modernGraph([1, 1, 2, 2]);
    const bytes = exportOnnx(graph, { opset: 17 });
    const model = decodeModelProto(bytes);
    expect(Number(model.ir_version)).toBe(8);
    const nodes = model.graph?.node ?? [];
    expect(nodes.find((node) => node.op_type === 'ReduceMean')?.input).toEqual(['x']);
    expect(nodes.find((node) => node.op_type === 'Split')?.attribute.map((attribute) => attribute.name)).toEqual(['axis']);
    // axes became an attribute and scale/bias were replaced by per-group copies
    expect(model.graph?.initializer.map((tensor) => tensor.name)).toEqual(['scale_per_group', 'bias_per_group']);
    const again = importOnnx(bytes);
    const result = values(again, { x })[0] as number[];
    (values(graph, { x })[0] as number[]).forEach((value, index) => expect(result[index]).toBeCloseTo(value, 5));
  });

  it('refuses opset-17 export of per-channel GroupNormalization scales', () => {
    const error = (() => {
      try {
        exportOnnx(modernGraph([1, 2, 3, 4]), { opset: 17 });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect(error?.message).toMatch(/node 'norm' \(GroupNormalization\) at opset 17.*'scale' is not constant within each of the 2 groups/);
  });

  it('exports ai.efficientdl ops under their domain with an opset import', () => {
    const graph = validateGraph(
      createGraph({
        nodes: [
          {
            name: 'grad',
            op: 'ConvGradInput',
            domain: 'ai.efficientdl',
            inputs: ['dY', 'W'],
            outputs: ['dX'],
            attrs: { kernel_shape: [2, 2], input_shape: [1, 1, 3, 3] },
          },
        ],
        inputs: [
          { name: 'dY', dtype: 'float32', shape: [1, 1, 2, 2] },
          { name: 'W', dtype: 'float32', shape: [1, 1, 2, 2] },
        ],
        outputs: [{ name: 'dX', dtype: 'float32', shape: [1, 1, 3, 3] }],
      }),
    );
    const bytes = exportOnnx(graph);
    const model = decodeModelProto(bytes);
    expect(model.opset_import.map((entry) => [entry.domain, Number(entry.version)])).toEqual([
      ['', 21],
      ['ai.efficientdl', 1],
    ]);
    expect(model.graph?.node[0]?.domain).toBe('ai.efficientdl');
    expectSameGraph(importOnnx(bytes), graph);
  });
});

/** x: (size) split on axis 0 into `count` outputs; `numOutputs` sets the attribute. */
function splitGraph(options: { size: number | string; count: number; numOutputs?: number }): Graph {
  const outputs = Array.from({ length: options.count }, (_, index) => `part_${index}`);
  const partSize = typeof options.size === 'number' ? Math.ceil(options.size / options.count) : 'P';
  return createGraph({
    name: 'split',
    nodes: [{ name: 'split', op: 'Split', inputs: ['x'], outputs, attrs: options.numOutputs === undefined ? {} : { num_outputs: options.numOutputs } }],
    inputs: [{ name: 'x', dtype: 'float32', shape: [options.size] }],
    outputs: outputs.map((name, index) => ({
      name,
      dtype: 'float32' as const,
      shape: [typeof options.size === 'number' && typeof partSize === 'number' ? Math.min(partSize, options.size - partSize * index) : `P${index}`],
    })),
  });
}

describe('exportOnnx Split', () => {
  const splitNode = (bytes: Uint8Array) => decodeModelProto(bytes).graph?.node.find((node) => node.op_type === 'Split');
  const attribute = (bytes: Uint8Array, name: string) => splitNode(bytes)?.attribute.find((entry) => entry.name === name);

  it('writes num_outputs = the output count at opset 21 when the node has neither split nor num_outputs', () => {
    const graph = splitGraph({ size: 6, count: 3 });
    const bytes = exportOnnx(graph);
    expect(Number(attribute(bytes, 'num_outputs')?.i)).toBe(3);
    expect(splitNode(bytes)?.input).toEqual(['x']);
    const six = fromNumbers('float32', [6], [1, 2, 3, 4, 5, 6]);
    expect(values(importOnnx(bytes), { x: six })).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('writes uneven num_outputs parts as a split initializer at opset 17 when the size is known', () => {
    const bytes = exportOnnx(splitGraph({ size: 7, count: 3, numOutputs: 3 }), { opset: 17 });
    expect(attribute(bytes, 'num_outputs')).toBeUndefined();
    expect(splitNode(bytes)?.input).toEqual(['x', 'split_split']);
    const split = importOnnx(bytes).initializers.get('split_split') as TensorData;
    expect(split.dtype).toBe('int64');
    expect(Array.from(toNumberArray(split))).toEqual([3, 3, 1]);
    const seven = fromNumbers('float32', [7], [1, 2, 3, 4, 5, 6, 7]);
    expect(values(importOnnx(bytes), { x: seven })).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('keeps the equal-split form at opset 17 where it is exact or the size is unknown', () => {
    for (const graph of [splitGraph({ size: 6, count: 3, numOutputs: 3 }), splitGraph({ size: 6, count: 3 }), splitGraph({ size: 'N', count: 2, numOutputs: 2 })]) {
      const bytes = exportOnnx(graph, { opset: 17 });
      expect(splitNode(bytes)?.input).toEqual(['x']);
      expect(splitNode(bytes)?.attribute.map((entry) => entry.name)).toEqual([]);
      expect(decodeModelProto(bytes).graph?.initializer).toEqual([]);
    }
  });
});
