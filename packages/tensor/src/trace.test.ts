// Tests for trace and runGraph with two test-only ops in domain 'test.trace' (so naming, optional
// inputs, multi-output nodes, initializers, recorder restoration and dynamic batch are checked
// independently of the built-in kernels). The oracle is eager execution of the same function.
import { ALL_KERNELS, CpuBackend, defineKernel } from '@efficientdl/backend-cpu';
import {
  type Backend,
  ConfigError,
  DTypeError,
  GraphError,
  type OpSchema,
  ShapeError,
  type TensorData,
  fromNumbers,
  registerOp,
} from '@efficientdl/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpRecorder, getBackend, runOp, runUnary, setBackend, setRecorder } from './engine.js';
import { runGraph } from './run-graph.js';
import { Tensor } from './tensor.js';
import { type Traceable, trace } from './trace.js';

const DOMAIN = 'test.trace';
const sameAsFirst: OpSchema['infer'] = ({ inputs, outputCount }) =>
  Array.from({ length: outputCount }, () => ({ dtype: inputs[0]!.dtype, shape: inputs[0]!.shape }));

// Scale(x, factor?, bias?) = x * factor + bias + offset; SignSplit(x) = (max(x, 0), min(x, 0)).
const SCHEMAS: OpSchema[] = [
  {
    name: 'Scale',
    domain: DOMAIN,
    inputs: [{ name: 'x' }, { name: 'factor', optional: true }, { name: 'bias', optional: true }],
    outputs: [{ name: 'y' }],
    attrs: { offset: { type: 'float', default: 0 } },
    differentiable: true,
    infer: sameAsFirst,
  },
  { name: 'SignSplit', domain: DOMAIN, inputs: [{ name: 'x' }], outputs: [{ name: 'positive' }, { name: 'negative' }], attrs: {}, infer: sameAsFirst },
];

function mapFloats(x: TensorData, fn: (value: number) => number): TensorData {
  return { dtype: 'float32', shape: x.shape, data: (x.data as Float32Array).map(fn) };
}

const TEST_KERNELS = [
  defineKernel({
    op: 'Scale',
    domain: DOMAIN,
    kernel: ([x, factor, bias], attrs) => {
      const scale = factor ? ((factor.data as Float32Array)[0] as number) : 1;
      const shift = (bias ? ((bias.data as Float32Array)[0] as number) : 0) + (attrs.offset as number);
      return [mapFloats(x!, (value) => value * scale + shift)];
    },
  }),
  defineKernel({
    op: 'SignSplit',
    domain: DOMAIN,
    kernel: ([x]) => [mapFloats(x!, (value) => Math.max(value, 0)), mapFloats(x!, (value) => Math.min(value, 0))],
  }),
];

const scale = (x: Tensor, factor?: Tensor, offset?: number, bias?: Tensor) =>
  runUnary('Scale', [x, factor, bias], offset === undefined ? {} : { offset }, { domain: DOMAIN });
const signSplit = (x: Tensor) => runOp('SignSplit', [x], {}, { domain: DOMAIN }) as [Tensor, Tensor];
const floats = (shape: number[], values: number[]) => new Tensor(fromNumbers('float32', shape, values));

class TinyLayer implements Traceable {
  weight = floats([1], [2]).requireGrad();
  forward(x: Tensor): Tensor[] {
    return signSplit(scale(x, this.weight, 1));
  }
  *namedTensors(): Iterable<[string, Tensor]> {
    yield ['layer.weight', this.weight];
  }
}

let previousBackend: Backend<TensorData>;
beforeAll(() => {
  for (const schema of SCHEMAS) registerOp(schema);
  previousBackend = getBackend();
  setBackend(new CpuBackend([...ALL_KERNELS, ...TEST_KERNELS]));
});
afterAll(() => setBackend(previousBackend));

describe('trace', () => {
  it('records nodes, named initializers, inputs, outputs and value types', () => {
    const layer = new TinyLayer();
    const graph = trace(layer, [floats([2, 2], [-1, 0.5, 2, -3])]);
    expect(graph.name).toBe('TinyLayer');
    expect(graph.inputs).toEqual([{ name: 'input_0', dtype: 'float32', shape: [2, 2] }]);
    expect(graph.outputs.map((value) => value.name)).toEqual(['output_0', 'output_1']);
    expect(graph.nodes).toEqual([
      { name: 'Scale_0', op: 'Scale', domain: DOMAIN, inputs: ['input_0', 'layer.weight'], outputs: ['Scale_0_output_0'], attrs: { offset: 1 } },
      { name: 'SignSplit_1', op: 'SignSplit', domain: DOMAIN, inputs: ['Scale_0_output_0'], outputs: ['output_0', 'output_1'], attrs: {} },
    ]);
    expect([...graph.initializers.keys()]).toEqual(['layer.weight']);
    expect([...(graph.initializers.get('layer.weight')?.data ?? [])]).toEqual([2]);
    expect(graph.valueInfo.get('Scale_0_output_0')).toEqual({ name: 'Scale_0_output_0', dtype: 'float32', shape: [2, 2] });
    expect(graph.opsets[DOMAIN]).toBe(1);
  });

  it('keeps attrs unresolved, marks omitted inputs with "", and names anonymous constants const_<k>', () => {
    const factor = floats([1], [3]);
    const bias = floats([1], [-1]);
    const graph = trace(function scaled(x: Tensor) {
      return scale(scale(scale(x), factor), factor, 0.5, bias);
    }, [floats([3], [1, 2, 3])]);
    expect(graph.name).toBe('scaled');
    expect(graph.nodes.map((node) => node.inputs)).toEqual([
      ['input_0'],
      ['Scale_0_output_0', 'const_0'],
      ['Scale_1_output_0', 'const_0', 'const_1'],
    ]);
    expect(graph.nodes.map((node) => node.attrs)).toEqual([{}, {}, { offset: 0.5 }]);
    expect([...graph.initializers.keys()]).toEqual(['const_0', 'const_1']);
    const middle = trace((x: Tensor) => scale(x, undefined, undefined, bias), [floats([1], [1])]);
    expect(middle.nodes[0]?.inputs).toEqual(['input_0', '', 'const_0']);
    expect([...(runGraph(middle, { input_0: floats([1], [5]) }).output_0 as Tensor).values]).toEqual([4]);
    // Initializers are snapshots: later in-place updates of the tensor do not leak into the graph.
    (factor.values as Float32Array)[0] = 100;
    expect([...(graph.initializers.get('const_0')?.data ?? [])]).toEqual([3]);
  });

  it('runs under noGrad and re-executes through runGraph to the eager result', () => {
    const layer = new TinyLayer();
    const graph = trace(layer, [floats([2, 2], [1, 2, 3, 4])]);
    const input = floats([2, 2], [-1, 0.25, 2, -3]);
    const eager = layer.forward(input);
    const replay = runGraph(graph, { input_0: input });
    expect([...(replay.output_0 as Tensor).values]).toEqual([...(eager[0] as Tensor).values]);
    expect([...(replay.output_1 as Tensor).values]).toEqual([...(eager[1] as Tensor).values]);
    expect([...(replay.output_1 as Tensor).values]).toEqual([-1, 0, 0, -5]);
    // Within trace no tape was recorded even though the weight requires grad.
    let traced: Tensor | undefined;
    trace((x: Tensor) => (traced = scale(x, layer.weight)), [input]);
    expect(traced?.gradNode).toBeUndefined();
    expect(scale(input, layer.weight).gradNode).toBeDefined();
  });

  it('dedupes shared storage, keeps the first dotted name and avoids name collisions', () => {
    const weight = floats([1], [2]);
    const target: Traceable = {
      forward: (x: Tensor) => scale(scale(x, weight), weight.detach(), 0, floats([1], [1])),
      namedTensors: () => [
        ['input_0', floats([1], [0])],
        ['block.weight', weight],
        ['alias.weight', weight],
      ],
    };
    const graph = trace(target, [floats([1], [1])]);
    expect(graph.nodes.map((node) => node.inputs)).toEqual([
      ['input_0', 'block.weight'],
      ['Scale_0_output_0', 'block.weight', 'const_0'],
    ]);
    const clash: Traceable = { forward: (x: Tensor) => scale(x, weight), namedTensors: () => [['input_0', weight]] };
    expect(trace(clash, [floats([1], [1])]).nodes[0]?.inputs).toEqual(['input_0', 'input_0_1']);
  });

  it('uses given names, initializer overrides and checks name counts', () => {
    const graph = trace(new TinyLayer(), [floats([1], [1])], { name: 'net', inputNames: ['image'], outputNames: ['pos', 'neg'] });
    expect(graph.name).toBe('net');
    expect(graph.nodes[0]?.inputs[0]).toBe('image');
    expect(graph.nodes[1]?.outputs).toEqual(['pos', 'neg']);
    const result = runGraph(graph, { image: fromNumbers('float32', [1], [1]) }, { initializers: { 'layer.weight': floats([1], [-4]) } });
    expect([...(result.neg as Tensor).values]).toEqual([-3]);
    expect(() => trace(new TinyLayer(), [floats([1], [1])], { inputNames: ['a', 'b'] })).toThrow(ConfigError);
    expect(() => trace(new TinyLayer(), [floats([1], [1])], { outputNames: ['only'] })).toThrow(/1 output names given for 2 outputs/);
  });

  it('restores the previous recorder (even on error) and forwards ops to it', () => {
    const seen: string[] = [];
    const outer: OpRecorder = { record: (entry) => seen.push(entry.op) };
    const previous = setRecorder(outer);
    try {
      trace((x: Tensor) => scale(x), [floats([1], [1])]);
      expect(() =>
        trace(() => {
          scale(floats([1], [1]));
          throw new Error('boom');
        }, []),
      ).toThrow('boom');
      expect(() => trace(() => 3 as unknown as Tensor, [])).toThrow(GraphError);
      scale(floats([1], [1]));
      expect(seen).toEqual(['Scale', 'Scale', 'Scale']);
      expect(setRecorder(outer)).toBe(outer);
    } finally {
      setRecorder(previous);
    }
  });

  it('makes the batch dim symbolic with dynamicBatch and runs other batch sizes', () => {
    const layer = new TinyLayer();
    const graph = trace(layer, [floats([2, 3], [1, 2, 3, 4, 5, 6])], { dynamicBatch: true });
    expect(graph.inputs[0]?.shape).toEqual(['N', 3]);
    expect(graph.outputs.map((value) => value.shape)).toEqual([['N', 3], ['N', 3]]);
    expect(graph.valueInfo.size).toBe(0);
    const result = runGraph(graph, { input_0: floats([1, 3], [-1, 0, 1]) });
    expect([...(result.output_0 as Tensor).values]).toEqual([0, 1, 3]);
    const twoInputs = (a: Tensor, b: Tensor) => scale(a, b);
    expect(() => trace(twoInputs, [floats([2], [1, 2]), floats([1], [1])], { dynamicBatch: true })).toThrow(ConfigError);
  });
});

describe('runGraph feed checks', () => {
  it('rejects missing, unknown, wrongly typed and wrongly shaped feeds', () => {
    const graph = trace((a: Tensor, b: Tensor) => scale(a, b), [floats([2, 1], [1, 2]), floats([1], [3])], {
      inputNames: ['a', 'b'],
    });
    const b = floats([1], [3]);
    expect(() => runGraph(graph, { b })).toThrow(/input 'a' was not fed/);
    expect(() => runGraph(graph, { a: floats([2, 1], [1, 2]), b, c: b })).toThrow(/no input 'c'/);
    expect(() => runGraph(graph, { a: new Tensor(fromNumbers('float64', [2, 1], [1, 2])), b })).toThrow(DTypeError);
    expect(() => runGraph(graph, { a: floats([1, 2], [1, 2]), b })).toThrow(ShapeError);
    expect([...(runGraph(graph, { a: floats([2, 1], [1, 2]), b }).output_0 as Tensor).values]).toEqual([3, 6]);
  });

  it('binds a symbolic dim to one size across inputs', () => {
    const dynamic = trace((a: Tensor, b: Tensor) => [scale(a), scale(b)], [floats([2], [1, 2]), floats([2], [3, 4])], { dynamicBatch: true });
    expect(() => runGraph(dynamic, { input_0: floats([2], [1, 2]), input_1: floats([3], [1, 2, 3]) })).toThrow(/symbolic dim 'N'/);
  });
});
