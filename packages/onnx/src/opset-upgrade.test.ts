// Old-opset nodes are rewritten into modern forms with the same meaning: each case builds a small
// model at an old opset, imports it, runs it on cpu and compares with hand-computed values.
import { type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { runGraph } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { importOnnx } from './import-onnx.js';
import { onnxType } from './onnx-schema.js';

interface Case {
  op: string;
  opset: number;
  inputShape: number[];
  attrs?: Record<string, unknown>[];
  extraInputs?: { name: string; tensor: Record<string, unknown> }[];
  outputs?: number;
}

function oldModel(spec: Case): Uint8Array {
  const inputs = ['x', ...(spec.extraInputs ?? []).map((extra) => extra.name)];
  const outputs = Array.from({ length: spec.outputs ?? 1 }, (_, index) => `y${index}`);
  return onnxType('ModelProto')
    .encode({
      ir_version: 4,
      opset_import: [{ domain: '', version: spec.opset }],
      graph: {
        name: 'old',
        node: [{ name: 'n', op_type: spec.op, input: inputs, output: outputs, attribute: spec.attrs ?? [] }],
        initializer: (spec.extraInputs ?? []).map((extra) => ({ name: extra.name, ...extra.tensor })),
        input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: spec.inputShape.map((dim_value) => ({ dim_value })) } } } }],
        output: outputs.map((name) => ({ name })),
      },
    })
    .finish();
}

function run(spec: Case, values?: number[]): { shape: readonly number[]; values: number[] }[] {
  const graph = importOnnx(oldModel(spec));
  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  const x: TensorData = fromNumbers('float32', spec.inputShape, values ?? Array.from({ length: size }, (_, index) => index));
  const results = runGraph(graph, { x });
  return graph.outputs.map((value) => {
    const tensor = results[value.name]?.data as TensorData;
    return { shape: tensor.shape, values: Array.from(toNumberArray(tensor)) };
  });
}

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
const float = (name: string, value: number) => ({ name, type: 1, f: value });
const int = (name: string, value: number) => ({ name, type: 2, i: value });

describe('opset upgrades', () => {
  it('Softmax opset 11 coerces to 2-D at axis (flatten semantics)', () => {
    const [out] = run({ op: 'Softmax', opset: 11, inputShape: [2, 2, 2], attrs: [int('axis', 1)] }, [0, 1, 2, 3, 0, 0, 0, 0]);
    const total = 1 + Math.E + Math.E ** 2 + Math.E ** 3;
    expect(out?.shape).toEqual([2, 2, 2]);
    out?.values.slice(0, 4).forEach((value, index) => expect(value).toBeCloseTo(Math.E ** index / total, 6));
    out?.values.slice(4).forEach((value) => expect(value).toBeCloseTo(0.25, 6));
  });

  it('Softmax opset 11 on the last axis stays a single node', () => {
    const graph = importOnnx(oldModel({ op: 'LogSoftmax', opset: 11, inputShape: [2, 3], attrs: [int('axis', 1)] }));
    expect(graph.nodes.map((node) => [node.op, node.attrs.axis])).toEqual([['LogSoftmax', -1]]);
  });

  it('Slice opset 9 attributes become inputs', () => {
    const [out] = run({ op: 'Slice', opset: 9, inputShape: [3, 4], attrs: [ints('starts', [1, 1]), ints('ends', [3, 3]), ints('axes', [0, 1])] });
    expect(out).toEqual({ shape: [2, 2], values: [5, 6, 9, 10] });
  });

  it('Pad opset 10 pads/value attributes become inputs', () => {
    const [out] = run({ op: 'Pad', opset: 10, inputShape: [2], attrs: [ints('pads', [1, 2]), float('value', 1.5)] });
    expect(out).toEqual({ shape: [5], values: [1.5, 0, 1, 1.5, 1.5] });
  });

  it('Clip opset 10 min/max attributes become inputs', () => {
    const [out] = run({ op: 'Clip', opset: 10, inputShape: [5], attrs: [float('min', 1), float('max', 3)] });
    expect(out?.values).toEqual([1, 1, 2, 3, 3]);
  });

  it('ReduceSum opset 11 and ReduceMean opset 13 axes attributes become inputs', () => {
    expect(run({ op: 'ReduceSum', opset: 11, inputShape: [2, 3], attrs: [ints('axes', [1]), int('keepdims', 0)] })[0]).toEqual({ shape: [2], values: [3, 12] });
    expect(run({ op: 'ReduceMean', opset: 13, inputShape: [2, 3], attrs: [ints('axes', [0])] })[0]).toEqual({ shape: [1, 3], values: [1.5, 2.5, 3.5] });
  });

  it('Split opset 11 split attribute becomes an input; opset 13 equal split gets num_outputs', () => {
    const parts = run({ op: 'Split', opset: 11, inputShape: [5], attrs: [ints('split', [2, 3])], outputs: 2 });
    expect(parts.map((part) => part.values)).toEqual([[0, 1], [2, 3, 4]]);
    const equal = run({ op: 'Split', opset: 13, inputShape: [4], outputs: 2 });
    expect(equal.map((part) => part.values)).toEqual([[0, 1], [2, 3]]);
  });

  it('Squeeze/Unsqueeze opset 11 axes attributes become inputs', () => {
    expect(run({ op: 'Unsqueeze', opset: 11, inputShape: [3], attrs: [ints('axes', [0, 2])] })[0]?.shape).toEqual([1, 3, 1]);
    expect(run({ op: 'Squeeze', opset: 11, inputShape: [1, 3, 1], attrs: [ints('axes', [2])] })[0]?.shape).toEqual([1, 3]);
  });

  it('Upsample opset 9 becomes Resize (nearest, asymmetric, floor)', () => {
    const scales = { name: 'scales', tensor: { dims: [2], data_type: 1, float_data: [1, 2] } };
    const [out] = run({ op: 'Upsample', opset: 9, inputShape: [1, 2], extraInputs: [scales] });
    expect(out).toEqual({ shape: [1, 4], values: [0, 0, 1, 1] });
  });

  it('TopK opset 9 k attribute becomes the K input; Dropout opset 10 ratio becomes an input', () => {
    const [values, indices] = run({ op: 'TopK', opset: 9, inputShape: [4], attrs: [int('k', 2)], outputs: 2 }, [3, 9, 1, 5]);
    expect(values?.values).toEqual([9, 5]);
    expect(indices?.values).toEqual([1, 3]);
    expect(run({ op: 'Dropout', opset: 10, inputShape: [3], attrs: [float('ratio', 0.3)] })[0]?.values).toEqual([0, 1, 2]);
  });

  it('BatchNormalization opset 7 drops spatial=1 and refuses spatial=0', () => {
    const tensor = (values: number[]) => ({ dims: [2], data_type: 1, float_data: values });
    const extraInputs = [
      { name: 'scale', tensor: tensor([1, 2]) },
      { name: 'bias', tensor: tensor([0, 1]) },
      { name: 'mean', tensor: tensor([0, 1]) },
      { name: 'var', tensor: tensor([1, 4]) },
    ];
    const spec = { op: 'BatchNormalization', opset: 7, inputShape: [1, 2], extraInputs, attrs: [int('spatial', 1), float('epsilon', 0)] };
    const [out] = run(spec, [3, 5]);
    expect(out?.values).toEqual([3, 5]);
    expect(() => importOnnx(oldModel({ ...spec, attrs: [int('spatial', 0)] }))).toThrow(/node 'n'.*spatial=0/);
  });
});
