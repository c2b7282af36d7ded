// The engine: typed errors from runOp (naming the op), kernel output checked against inference,
// backend selection, multi-output ops and the trace recorder hook.
import { AttributeError, type Backend, DTypeError, ShapeError, type TensorData, UnsupportedOpError } from '@efficientdl/ir';
import { CpuBackend } from '@efficientdl/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpRecorder, getBackend, runOp, runUnary, setBackend, setRecorder } from './engine.js';
import * as F from './functional.js';

const original = getBackend();
afterEach(() => {
  setBackend(original);
  setRecorder(undefined);
});

describe('runOp errors', () => {
  it('incompatible broadcast shapes are a ShapeError naming the op', () => {
    const run = () => F.add(F.zeros([2, 3]), F.zeros([4]));
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/Add/);
  });

  it('mismatched dtypes are a DTypeError naming the op', () => {
    const run = () => F.mul(F.zeros([2]), F.zeros([2], 'int64'));
    expect(run).toThrow(DTypeError);
    expect(run).toThrow(/Mul/);
  });

  it('an unknown op is an UnsupportedOpError naming it', () => {
    const run = () => runUnary('NoSuchOp', [F.zeros([1])]);
    expect(run).toThrow(UnsupportedOpError);
    expect(run).toThrow(/NoSuchOp/);
  });

  it('a backend without the kernel is an UnsupportedOpError naming op and backend', () => {
    setBackend(new CpuBackend([]));
    const run = () => F.add(F.zeros([1]), F.zeros([1]));
    expect(run).toThrow(UnsupportedOpError);
    expect(run).toThrow(/Add.*cpu|cpu.*Add/);
  });

  it('an unknown attribute is an AttributeError naming op and attribute', () => {
    const run = () => runUnary('Relu', [F.zeros([1])], { slope: 2 });
    expect(run).toThrow(AttributeError);
    expect(run).toThrow(/Relu.*slope/);
  });

  it('a kernel output that disagrees with shape inference is a ShapeError', () => {
    const cpu = original;
    const lying: Backend<TensorData> = {
      name: 'lying',
      interfaceVersion: cpu.interfaceVersion,
      supports: (op, dtypes, domain) => cpu.supports(op, dtypes, domain),
      upload: (data) => data,
      download: (data) => data,
      run: (node, inputs, count) => cpu.run(node, inputs, count).map((result) => (node.op === 'Neg' ? F.zeros([7]).data : result)),
    };
    setBackend(lying);
    expect(() => F.neg(F.zeros([2]))).toThrow(/Neg.*inference/);
    expect(F.exp(F.zeros([2])).shape).toEqual([2]);
  });
});

describe('runOp execution', () => {
  it('runs on the selected backend and returns every requested output', () => {
    expect(getBackend()).toBe(original);
    const pieces = runOp('Split', [F.tensor([1, 2, 3, 4, 5], [5]), F.int64([2, 3])], { axis: 0 }, { outputCount: 2 });
    expect(pieces.map((piece) => piece.toArray())).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('reports every op to the installed recorder', () => {
    const seen: string[] = [];
    const recorder: OpRecorder = { record: (entry) => seen.push(`${entry.op}:${entry.outputs.length}`) };
    expect(setRecorder(recorder)).toBeUndefined();
    F.relu(F.add(F.ones([2]), 1));
    expect(setRecorder(undefined)).toBe(recorder);
    F.neg(F.ones([1]));
    expect(seen).toEqual(['Add:1', 'Relu:1']);
  });
});
