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
import { exportOnnx } from '@efficientdl/onnx';
import { getBackend, matmul, mul, reduceSum, setBackend, tensor } from '@efficientdl/tensor';
import * as ort from 'onnxruntime-node';
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

  /** x (float32) → Cast → q (`middle`) → Cast → y (float32); `ends` marks q as graph input/output. */
  function castGraph(middle: DType, ends: 'inside' | 'output' | 'input'): Graph {
    const code = { int4: 22, uint4: 21, bfloat16: 16 }[middle as 'int4'];
    if (ends === 'input') {
      return createGraph({
        name: `from_${middle}`,
        inputs: [{ name: 'q', dtype: middle, shape: [4] }],
        outputs: [{ name: 'y', dtype: 'float32', shape: [4] }],
        nodes: [{ name: 'widen', op: 'Cast', inputs: ['q'], outputs: ['y'], attrs: { to: 1 } }],
      });
    }
    const narrow = { name: 'narrow', op: 'Cast', inputs: ['x'], outputs: ['q'], attrs: { to: code } };
    if (ends === 'output') {
      return createGraph({
        name: `to_${middle}`,
        inputs: [{ name: 'x', dtype: 'float32', shape: [4] }],
        outputs: [{ name: 'q', dtype: middle, shape: [4] }],
        nodes: [narrow],
      });
    }
    return createGraph({
      name: `through_${middle}`,
      inputs: [{ name: 'x', dtype: 'float32', shape: [4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [4] }],
      valueInfo: new Map([['q', { name: 'q', dtype: middle, shape: [4] }]]),
      nodes: [narrow, { name: 'widen', op: 'Cast', inputs: ['q'], outputs: ['y'], attrs: { to: 1 } }],
    });
  }

  it.each(['int4', 'uint4', 'bfloat16'] as const)('refuses a %s graph output or input up front, before onnxruntime sees it', async (dtype) => {
    // Fetching an int4/uint4 output aborts the process inside onnxruntime-node 1.30.
    const fresh = await createOnnxruntimeBackend({ intraOpThreads: 1 });
    for (const [ends, role, node] of [
      ['output', 'output', 'narrow'],
      ['input', 'input', 'widen'],
    ] as const) {
      const error = await fresh.compile(castGraph(dtype, ends)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UnsupportedOpError);
      expect((error as Error).message).toMatch(new RegExp(`onnxruntime' cannot compile .* ${role} 'q' \\(${dtype}, .*Cast \\(node '${node}'\\)`));
      expect((error as UnsupportedOpError).context).toMatchObject({ backend: 'onnxruntime', op: 'Cast', node, value: 'q' });
    }
    expect(fresh.compiledSessionCount).toBe(0);
  });

  it('still runs graphs that use int4/uint4 only inside', async () => {
    const compiled = await backend.compile(castGraph('int4', 'inside'));
    const y = (await compiled.run({ x: fromNumbers('float32', [4], [1, -3, 7, -8]) })).y as TensorData;
    compiled.dispose();
    expect([...toNumberArray(y)]).toEqual([1, -3, 7, -8]);
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

describe('Split export (onnxruntime accepts what exportOnnx writes)', () => {
  /** x: (7) → Split into 3 outputs; `numOutputs` sets the attribute (absent: equal parts). */
  function splitGraph(size: number, numOutputs?: number): Graph {
    const part = Math.ceil(size / 3);
    return createGraph({
      name: `split_${size}`,
      inputs: [{ name: 'x', dtype: 'float32', shape: [size] }],
      outputs: [0, 1, 2].map((index) => ({ name: `part_${index}`, dtype: 'float32' as const, shape: [Math.min(part, size - part * index)] })),
      nodes: [{ name: 'split', op: 'Split', inputs: ['x'], outputs: ['part_0', 'part_1', 'part_2'], attrs: numOutputs === undefined ? {} : { num_outputs: numOutputs } }],
    });
  }
  const ramp = (size: number) => fromNumbers('float32', [size], Array.from({ length: size }, (_, index) => index + 1));

  it('runs a Split with neither split nor num_outputs (opset 21) through compile() and the per-op path', async () => {
    const compiled = await backend.compile(splitGraph(6));
    const outputs = await compiled.run({ x: ramp(6) });
    compiled.dispose();
    expect([0, 1, 2].map((index) => [...toNumberArray(outputs[`part_${index}`] as TensorData)])).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const parts = backend.run({ op: 'Split', domain: '', name: 'split_eager', attrs: {} }, [ramp(6)], 3);
    expect(parts.map((part) => [...toNumberArray(part)])).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('runs the opset-17 export of an uneven num_outputs Split', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(splitGraph(7, 3), { opset: 17 }));
    const results = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7]), [7]) });
    await session.release();
    expect([0, 1, 2].map((index) => [...(results[`part_${index}`]?.data as Float32Array)])).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });
});

describe('known onnxruntime deviations from ONNX', () => {
  // ONNX: x_original = x_resized·(4 − 1)/(4·0.8 − 1); ORT uses the rounded length 3 instead, so
  // its corner is x[3] = 16 where ONNX (and backend-cpu) give ≈ 14.95.
  const attrs = { mode: 'cubic', coordinate_transformation_mode: 'align_corners' };
  const x = fromNumbers('float32', [1, 1, 4, 4], Array.from({ length: 16 }, (_, index) => index + 1));
  const scales = (factor: number) => fromNumbers('float32', [4], [1, 1, factor, factor]);
  function resizeGraph(constantScales?: TensorData): Graph {
    return createGraph({
      name: 'cubic_align_corners',
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 1, 4, 4] }, ...(constantScales ? [] : [{ name: 'scales', dtype: 'float32' as const, shape: [4] }])],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 1, 'H', 'W'] }],
      initializers: constantScales ? { scales: constantScales } : {},
      nodes: [{ name: 'resize', op: 'Resize', inputs: ['x', '', 'scales'], outputs: ['y'], attrs }],
    });
  }
  const deviation = /backend 'onnxruntime' cannot run Resize \(node 'resize'\): cubic align_corners with scale 0\.8/;

  it('refuses cubic align_corners Resize by a non-integral scale: at compile (constant scales) or run (fed scales)', async () => {
    await expect(backend.compile(resizeGraph(scales(0.8)))).rejects.toThrow(deviation);
    const compiled = await backend.compile(resizeGraph());
    try {
      await expect(compiled.run({ x, scales: scales(0.8) })).rejects.toThrow(UnsupportedOpError);
      await expect(compiled.run({ x, scales: scales(0.8) })).rejects.toThrow(deviation);
      // 4·2 = 8 is integral: ORT agrees with ONNX, corners stay 1 and 16
      const y = (await compiled.run({ x, scales: scales(2) })).y as TensorData;
      expect(y.shape).toEqual([1, 1, 8, 8]);
      expect([toNumberArray(y)[0], toNumberArray(y)[63]].map((value) => Math.round((value as number) * 1e4) / 1e4)).toEqual([1, 16]);
    } finally {
      compiled.dispose();
    }
  });

  it('refuses it on the per-op path too', () => {
    expect(() => backend.run({ op: 'Resize', domain: '', name: 'resize', attrs }, [x, undefined, scales(0.8)], 1)).toThrow(deviation);
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
