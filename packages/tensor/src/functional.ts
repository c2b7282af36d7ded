// Functional ops: one wrapper per IR op, named after it in camelCase, calling the engine by the
// IR op name. Shape-valued arguments (Reshape's shape, Slice's starts…) become int64 constants.
import { type DType, fromNumbers, onnxDataType, tensorData } from '@efficientdl/ir';
import { runOp, runUnary } from './engine.js';
import { Tensor } from './tensor.js';

/** An int64 1-D constant tensor, for shape-like inputs. */
export function int64(values: readonly number[]): Tensor {
  return new Tensor(fromNumbers('int64', [values.length], values));
}

/** A scalar constant with the dtype of `like`. */
export function scalarLike(value: number, like: Tensor): Tensor {
  return new Tensor(fromNumbers(like.dtype, [], [value]));
}

function asTensor(value: Tensor | number, like: Tensor): Tensor {
  return typeof value === 'number' ? scalarLike(value, like) : value;
}

// Elementwise binary (ONNX broadcasting).
export const add = (a: Tensor, b: Tensor | number) => runUnary('Add', [a, asTensor(b, a)]);
export const sub = (a: Tensor, b: Tensor | number) => runUnary('Sub', [a, asTensor(b, a)]);
export const mul = (a: Tensor, b: Tensor | number) => runUnary('Mul', [a, asTensor(b, a)]);
export const div = (a: Tensor, b: Tensor | number) => runUnary('Div', [a, asTensor(b, a)]);
export const pow = (a: Tensor, b: Tensor | number) => runUnary('Pow', [a, asTensor(b, a)]);
export const equal = (a: Tensor, b: Tensor | number) => runUnary('Equal', [a, asTensor(b, a)]);
export const less = (a: Tensor, b: Tensor | number) => runUnary('Less', [a, asTensor(b, a)]);
export const greater = (a: Tensor, b: Tensor | number) => runUnary('Greater', [a, asTensor(b, a)]);
export const where = (condition: Tensor, a: Tensor, b: Tensor) => runUnary('Where', [condition, a, b]);

// Elementwise unary.
export const neg = (x: Tensor) => runUnary('Neg', [x]);
export const abs = (x: Tensor) => runUnary('Abs', [x]);
export const exp = (x: Tensor) => runUnary('Exp', [x]);
export const log = (x: Tensor) => runUnary('Log', [x]);
export const sqrt = (x: Tensor) => runUnary('Sqrt', [x]);
export const reciprocal = (x: Tensor) => runUnary('Reciprocal', [x]);
export const erf = (x: Tensor) => runUnary('Erf', [x]);
export const sigmoid = (x: Tensor) => runUnary('Sigmoid', [x]);
export const tanh = (x: Tensor) => runUnary('Tanh', [x]);
export const relu = (x: Tensor) => runUnary('Relu', [x]);
export const leakyRelu = (x: Tensor, alpha = 0.01) => runUnary('LeakyRelu', [x], { alpha });
export const gelu = (x: Tensor, approximate: 'none' | 'tanh' = 'none') => runUnary('Gelu', [x], { approximate });
export const hardSwish = (x: Tensor) => runUnary('HardSwish', [x]);
export const not = (x: Tensor) => runUnary('Not', [x]);
export const identity = (x: Tensor) => runUnary('Identity', [x]);
export const cast = (x: Tensor, to: DType) => runUnary('Cast', [x], { to: onnxDataType(to) });
export function clip(x: Tensor, min?: number, max?: number): Tensor {
  const minimum = min === undefined ? undefined : scalarLike(min, x);
  const maximum = max === undefined ? undefined : scalarLike(max, x);
  return runUnary('Clip', [x, minimum, maximum]);
}

// Linear algebra.
export const matmul = (a: Tensor, b: Tensor) => runUnary('MatMul', [a, b]);
export interface GemmOptions {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}
export function gemm(a: Tensor, b: Tensor, c?: Tensor, options: GemmOptions = {}): Tensor {
  return runUnary('Gemm', [a, b, c], {
    alpha: options.alpha ?? 1,
    beta: options.beta ?? 1,
    transA: options.transA ? 1 : 0,
    transB: options.transB ? 1 : 0,
  });
}

// Reductions (axes as an int64 input, ONNX opset 18+).
export interface ReduceOptions {
  axes?: readonly number[];
  keepDims?: boolean;
}
function reduce(op: string, x: Tensor, options: ReduceOptions): Tensor {
  const axes = options.axes ? int64(options.axes) : undefined;
  return runUnary(op, [x, axes], { keepdims: options.keepDims === false ? 0 : 1 });
}
export const reduceSum = (x: Tensor, options: ReduceOptions = {}) => reduce('ReduceSum', x, options);
export const reduceMean = (x: Tensor, options: ReduceOptions = {}) => reduce('ReduceMean', x, options);
export const reduceMax = (x: Tensor, options: ReduceOptions = {}) => reduce('ReduceMax', x, options);
export const reduceMin = (x: Tensor, options: ReduceOptions = {}) => reduce('ReduceMin', x, options);
export const argMax = (x: Tensor, axis = 0, keepDims = true) => runUnary('ArgMax', [x], { axis, keepdims: keepDims ? 1 : 0 });
export const softmax = (x: Tensor, axis = -1) => runUnary('Softmax', [x], { axis });
export const logSoftmax = (x: Tensor, axis = -1) => runUnary('LogSoftmax', [x], { axis });
export const cumSum = (x: Tensor, axis: number) => runUnary('CumSum', [x, int64([axis])]);
export function topK(x: Tensor, k: number, options: { axis?: number; largest?: boolean; sorted?: boolean } = {}): [Tensor, Tensor] {
  const [values, indices] = runOp('TopK', [x, int64([k])], {
    axis: options.axis ?? -1,
    largest: options.largest === false ? 0 : 1,
    sorted: options.sorted === false ? 0 : 1,
  }, { outputCount: 2 });
  return [values as Tensor, indices as Tensor];
}

// Shape manipulation.
export const reshape = (x: Tensor, shape: readonly number[]) => runUnary('Reshape', [x, int64(shape)]);
export const flatten = (x: Tensor, axis = 1) => runUnary('Flatten', [x], { axis });
export const transpose = (x: Tensor, perm?: readonly number[]) => runUnary('Transpose', [x], perm ? { perm } : {});
export const squeeze = (x: Tensor, axes?: readonly number[]) => runUnary('Squeeze', [x, axes ? int64(axes) : undefined]);
export const unsqueeze = (x: Tensor, axes: readonly number[]) => runUnary('Unsqueeze', [x, int64(axes)]);
export const expand = (x: Tensor, shape: readonly number[]) => runUnary('Expand', [x, int64(shape)]);
export const concat = (tensors: readonly Tensor[], axis: number) => runUnary('Concat', tensors, { axis });
export function split(x: Tensor, sizes: readonly number[], axis = 0): Tensor[] {
  return runOp('Split', [x, int64(sizes)], { axis }, { outputCount: sizes.length });
}
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor {
  return runUnary('Slice', [x, int64(starts), int64(ends), axes ? int64(axes) : undefined, steps ? int64(steps) : undefined]);
}
export const gather = (x: Tensor, indices: Tensor, axis = 0) => runUnary('Gather', [x, indices], { axis });
export const shapeOf = (x: Tensor) => runUnary('Shape', [x]);
export function pad(x: Tensor, pads: readonly number[], mode: 'constant' | 'reflect' | 'edge' = 'constant', value = 0): Tensor {
  return runUnary('Pad', [x, int64(pads), scalarLike(value, x)], { mode });
}

/** A float32 tensor from nested-free values and a shape. */
export function tensor(values: ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(fromNumbers(dtype, shape ?? [values.length], values));
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(tensorData(dtype, shape));
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const result = tensorData(dtype, shape);
  const count = shape.reduce((product, dim) => product * dim, 1);
  return new Tensor(count === 0 ? result : fromNumbers(dtype, shape, new Float64Array(count).fill(value)));
}

export const ones = (shape: readonly number[], dtype: DType = 'float32') => full(shape, 1, dtype);
