// Malformed models give typed errors naming the node or field: truncated and random bytes,
// cycles, dangling inputs, unknown ops, initializers contradicting their dims, bad versions.
import { readFileSync } from 'node:fs';
import { GraphError, ModelFormatError, UnsupportedOpError } from '@efficientdl/ir';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { importOnnx } from './import-onnx.js';
import { onnxType } from './onnx-schema.js';

const tensorType = (shape: number[]) => ({ tensor_type: { elem_type: 1, shape: { dim: shape.map((dim_value) => ({ dim_value })) } } });
const value = (name: string, shape: number[] = [2]) => ({ name, type: tensorType(shape) });

function model(graph: Record<string, unknown>, opset = 21): Uint8Array {
  return onnxType('ModelProto')
    .encode({ ir_version: 10, opset_import: [{ domain: '', version: opset }], graph: { name: 'g', ...graph } })
    .finish();
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('importOnnx error cases', () => {
  it.skipIf(!hasSharedData('models', 'mnist-8'))('truncated bytes → ModelFormatError naming the offset', () => {
    const bytes = readFileSync(sharedDataPath('models', 'mnist-8', 'model.onnx'));
    const error = thrown(() => importOnnx(bytes.subarray(0, 5000), { file: 'mnist.onnx' }));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/mnist\.onnx: not a valid ONNX ModelProto.*(index out of range|offset|wire type)/);
  });

  it('random bytes → ModelFormatError', () => {
    const bytes = new Uint8Array(256).map((_, index) => (index * 151 + 7) % 256);
    expect(() => importOnnx(bytes)).toThrow(ModelFormatError);
    expect(() => importOnnx(new Uint8Array(0))).toThrow(/has no graph|ir_version/);
  });

  it('cyclic graph → GraphError naming the nodes', () => {
    const bytes = model({
      node: [
        { name: 'first', op_type: 'Relu', input: ['b'], output: ['a'] },
        { name: 'second', op_type: 'Relu', input: ['a'], output: ['b'] },
      ],
      input: [value('x')],
      output: [value('b')],
    });
    const error = thrown(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toMatch(/cycle.*first, second/);
  });

  it('dangling input → GraphError naming node and value', () => {
    const bytes = model({ node: [{ name: 'add', op_type: 'Add', input: ['x', 'missing'], output: ['y'] }], input: [value('x')], output: [value('y')] });
    const error = thrown(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toMatch(/node 'add'.*'missing'/);
  });

  it('unknown op → UnsupportedOpError naming op and node', () => {
    const bytes = model({ node: [{ name: 'mystery', op_type: 'FooBar', input: ['x'], output: ['y'] }], input: [value('x')], output: [value('y')] });
    const error = thrown(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect(error.message).toMatch(/'FooBar'.*node 'mystery'/);
  });

  it('initializer contradicting its dims → ModelFormatError naming tensor and field', () => {
    const bytes = model({
      node: [{ name: 'add', op_type: 'Add', input: ['x', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [2, 2], data_type: 1, float_data: [1, 2, 3] }],
      input: [value('x')],
      output: [value('y')],
    });
    const error = thrown(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/initializer 'w'|tensor 'w'/);
    expect(error.message).toMatch(/float_data/);
  });

  it('graph attributes, unsupported opsets and non-tensor inputs are refused clearly', () => {
    const withGraph = model({
      node: [{ name: 'branch', op_type: 'If', input: ['x'], output: ['y'], attribute: [{ name: 'then_branch', type: 5, g: { name: 'sub' } }] }],
      input: [value('x')],
      output: [value('y')],
    });
    expect(() => importOnnx(withGraph)).toThrow(/node 'branch' \(If\) attribute 'then_branch': graph attributes/);
    expect(() => importOnnx(model({ input: [value('x')], output: [value('x')] }, 5))).toThrow(/opset 5 is not supported/);
    const sequence = model({ input: [{ name: 's', type: { sequence_type: { elem_type: tensorType([1]) } } }], output: [value('s')] });
    const error = thrown(() => importOnnx(sequence));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect(error.message).toMatch(/value 's' has a sequence type/);
  });

  it('initializers listed as graph inputs stay initializers, not required inputs', () => {
    const bytes = model({
      node: [{ name: 'add', op_type: 'Add', input: ['x', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [2], data_type: 1, float_data: [1, 2] }],
      input: [value('x'), value('w')],
      output: [{ name: 'y' }],
    });
    const graph = importOnnx(bytes);
    expect(graph.inputs.map((input) => input.name)).toEqual(['x']);
    expect([...graph.initializers.keys()]).toEqual(['w']);
    expect(graph.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [2] }]);
  });
});
