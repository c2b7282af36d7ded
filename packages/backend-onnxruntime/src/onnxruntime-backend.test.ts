// Unit tests of the onnxruntime backend: dtype round trips through ORT, the session cache,
// typed errors, option checking, and the synchronous per-op path driving eager ops and autograd.
import {
  type Backend,
  ConfigError,
  DTypeError,
  type DType,
  type Graph,
  ModelFormatError,
  type TensorData,
  UnsupportedOpError,
  createGraph,
  fromNumbers,
  tensorData,
  toNumberArray,
} from '@efficientdl/ir';
import { getBackend, matmul, mul, reduceSum, setBackend, tensor } from '@efficientdl/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OnnxruntimeBackend, createOnnxruntimeBackend } from './index.js';

let backend: OnnxruntimeBackend;
beforeAll(async () => {
  backend = await createOnnxruntimeBackend({ intraOpThreads: 2 });
});
afterAll(() => backend.close());

/** One value per dtype, including extremes a lossy path would corrupt. */
const SAMPLES: readonly TensorData[] = [
  fromNumbers('float32', [3], [1.5, -0, 3.4e38]),
  fromNumbers('float64', [2], [0.1, 1e300]),
  tensorData('float16', [2], new Uint16Array([0x3c00, 0x7bff])),
  fromNumbers('int8', [2], [-128, 127]),
  fromNumbers('uint8', [2], [0, 255]),
  fromNumbers('int16', [2], [-32768, 32767]),
  fromNumbers('uint16', [2], [0, 65535]),
  fromNumbers('int32', [2], [-2147483648, 2147483647]),
  fromNumbers('uint32', [2], [0, 4294967295]),
  tensorData('int64', [2], new BigInt64Array([-(2n ** 62n) - 3n, 2n ** 62n + 5n])),
  tensorData('uint64', [1], new BigUint64Array([2n ** 64n - 1n])),
  fromNumbers('bool', [3], [1, 0, 1]),
];

function identityGraph(samples: readonly TensorData[], name = 'identities'): Graph {
  return createGraph({
    name,
    inputs: samples.map((sample) => ({ name: `in_${sample.dtype}`, dtype: sample.dtype, shape: sample.shape })),
    outputs: samples.map((sample) => ({ name: `out_${sample.dtype}`, dtype: sample.dtype, shape: sample.shape })),
    nodes: samples.map((sample) => ({ op: 'Identity', inputs: [`in_${sample.dtype}`], outputs: [`out_${sample.dtype}`] })),
  });
}

describe('TensorData ↔ ort.Tensor', () => {
  it('round-trips all twelve dtypes bit-exactly through compile()', async () => {
    const compiled = await backend.compile(identityGraph(SAMPLES));
    const outputs = await compiled.run(Object.fromEntries(SAMPLES.map((sample) => [`in_${sample.dtype}`, sample])));
    compiled.dispose();
    for (const sample of SAMPLES) {
      const output = outputs[`out_${sample.dtype}`] as TensorData;
      expect(output.dtype).toBe(sample.dtype);
      expect(output.shape).toEqual(sample.shape);
      expect(output.data.constructor).toBe(sample.data.constructor);
      expect([...output.data]).toEqual([...sample.data]);
    }
  });

  it('round-trips them through the synchronous per-op path too', () => {
    for (const sample of SAMPLES) {
      const [output] = backend.run({ op: 'Identity', domain: '', name: `identity_${sample.dtype}`, attrs: {} }, [sample], 1);
      expect([...(output as TensorData).data]).toEqual([...sample.data]);
    }
  });
});

describe('compile()', () => {
  const graph = createGraph({
    name: 'scale',
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 2] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 2] }],
    initializers: { w: fromNumbers('float32', [2], [2, -3]) },
    nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }],
  });

  it('reuses one session for repeated compiles of the same graph and releases it with the last dispose', async () => {
    const fresh = await createOnnxruntimeBackend();
    const first = await fresh.compile(graph);
    const second = await fresh.compile(graph);
    expect(fresh.compiledSessionCount).toBe(1);
    const other = await fresh.compile(identityGraph(SAMPLES.slice(0, 1)));
    expect(fresh.compiledSessionCount).toBe(2);
    const y = (await second.run({ x: fromNumbers('float32', [3, 2], [1, 1, 2, 2, 3, 3]) })).y as TensorData;
    expect([...toNumberArray(y)]).toEqual([2, -3, 4, -6, 6, -9]);
    first.dispose();
    expect(fresh.compiledSessionCount).toBe(2);
    second.dispose();
    other.dispose();
    expect(fresh.compiledSessionCount).toBe(0);
    await expect(first.run({ x: fromNumbers('float32', [1, 2], [1, 1]) })).rejects.toThrow(ConfigError);
  });

  it('checks feeds before calling onnxruntime', async () => {
    const compiled = await backend.compile(graph);
    await expect(compiled.run({})).rejects.toThrow(/needs input 'x'/);
    await expect(compiled.run({ x: fromNumbers('float64', [1, 2], [1, 1]) })).rejects.toThrow(DTypeError);
    await expect(compiled.run({ x: fromNumbers('float32', [1, 3], [1, 1, 1]) })).rejects.toThrow(/shape/);
    compiled.dispose();
  });

  it('turns an op onnxruntime does not know into UnsupportedOpError carrying ORT’s message', async () => {
    const unknown = createGraph({
      name: 'unknown_op',
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
      nodes: [{ name: 'mystery', op: 'Frobnicate', domain: 'com.example', inputs: ['x'], outputs: ['y'] }],
      opsets: { 'com.example': 1 },
    });
    const error = await backend.compile(unknown).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as Error).message).toMatch(/onnxruntime.*unknown_op.*Frobnicate/s);
  });

  it('turns a graph onnxruntime rejects into ModelFormatError naming the node', async () => {
    // Relu's output declared int64: ORT's type inference refuses the model.
    const invalid = createGraph({
      name: 'bad_types',
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'int64', shape: [2] }],
      nodes: [{ name: 'relu_node', op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
    const error = await backend.compile(invalid).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/backend 'onnxruntime' could not load graph 'bad_types'/);
  });
});

describe('run() and supports()', () => {
  it('declares only ONNX-domain ops and dtypes onnxruntime-node can move', () => {
    expect(backend.supports('Conv', ['float32', 'float32'])).toBe(true);
    expect(backend.supports('Conv', ['float64', 'float64'])).toBe(false);
    expect(backend.supports('ConvGradInput', ['float32', 'float32'], 'ai.efficientdl')).toBe(false);
    expect(backend.supports('Transpose', ['int4' as DType])).toBe(false);
    expect(backend.supports('Cast', ['bfloat16'])).toBe(false);
  });

  it('refuses undeclared ops with UnsupportedOpError naming op, node and backend', () => {
    const x = fromNumbers('float32', [1, 1, 2, 2], [1, 2, 3, 4]);
    expect(() => backend.run({ op: 'MaxPoolGrad', domain: 'ai.efficientdl', name: 'grad_node', attrs: {} }, [x, x], 1)).toThrow(
      /backend 'onnxruntime' cannot run MaxPoolGrad \(ai.efficientdl\) \(node 'grad_node'\)/,
    );
  });

  it('translates a run-time ORT failure into a typed error naming the node', () => {
    // Integer division by zero is an ORT run-time error (not inference's business).
    const run = () => backend.run({ op: 'Div', domain: '', name: 'int_div', attrs: {} }, [fromNumbers('int32', [1], [1]), fromNumbers('int32', [1], [0])], 1);
    expect(run).toThrow(/backend 'onnxruntime' failed running Div \(node 'int_div'\)/);
  });

  it('drives eager ops and autograd synchronously', () => {
    const previous: Backend<TensorData> = getBackend();
    setBackend(backend);
    try {
      const a = tensor([1, 2, 3, 4], [2, 2]);
      a.requiresGrad = true;
      const b = tensor([5, 6, 7, 8], [2, 2]);
      const product = matmul(a, b); // [[19, 22], [43, 50]]
      expect([...product.values]).toEqual([19, 22, 43, 50]);
      const loss = reduceSum(mul(product, product));
      loss.backward();
      // d/dA sum((AB)²) = 2·(AB)·Bᵀ
      expect([...(a.grad?.values ?? [])]).toEqual([2 * (19 * 5 + 22 * 6), 2 * (19 * 7 + 22 * 8), 2 * (43 * 5 + 50 * 6), 2 * (43 * 7 + 50 * 8)]);
    } finally {
      setBackend(previous);
    }
  });
});

describe('options', () => {
  it('describes itself with version, provider and threads', async () => {
    expect(backend.describe()).toBe('onnxruntime-node 1.30.0 (cpu, 2 intra-op threads)');
    expect((await createOnnxruntimeBackend({ intraOpThreads: 1 })).describe()).toMatch(/\(cpu, 1 intra-op thread\)$/);
  });

  it('rejects invalid options with ConfigError', async () => {
    await expect(createOnnxruntimeBackend({ intraOpThreads: 0 })).rejects.toThrow(ConfigError);
    await expect(createOnnxruntimeBackend({ graphOptimizationLevel: 'turbo' as 'all' })).rejects.toThrow(/graphOptimizationLevel/);
  });
});
