// The built-in op list: every required ONNX op is registered once, with the differentiability
// autograd relies on.
import { describe, expect, it } from 'vitest';
import { getOpSchema } from '../registry.js';
import { BUILTIN_OPS } from './index.js';

const DIFFERENTIABLE =
  'Add Sub Mul Div Pow Neg Abs Exp Log Sqrt Reciprocal Erf Sigmoid Tanh Relu LeakyRelu Gelu HardSwish Clip Where MatMul Gemm Conv ConvTranspose MaxPool AveragePool GlobalAveragePool BatchNormalization LayerNormalization GroupNormalization InstanceNormalization Softmax LogSoftmax ReduceSum ReduceMean ReduceMax ReduceMin Reshape Flatten Transpose Concat Split Slice Gather Squeeze Unsqueeze Expand Pad Resize Identity Dropout CumSum Cast TopK'.split(' ');
const NOT_DIFFERENTIABLE = 'Equal Less Greater Not Shape Constant ArgMax QuantizeLinear DequantizeLinear'.split(' ');

describe('BUILTIN_OPS', () => {
  it('registers each op once', () => {
    const keys = BUILTIN_OPS.map((schema) => `${schema.domain}::${schema.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('marks differentiability per the op table', () => {
    for (const op of DIFFERENTIABLE) expect([op, getOpSchema(op).differentiable]).toEqual([op, true]);
    for (const op of NOT_DIFFERENTIABLE) expect([op, getOpSchema(op).differentiable]).toEqual([op, false]);
  });
});
