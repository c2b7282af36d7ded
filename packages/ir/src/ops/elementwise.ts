// Elementwise and simple value ops (ONNX opset 21 semantics): unary math, activations, binary
// arithmetic with multidirectional broadcasting, comparisons, Where, Not, Clip, Cast, Identity,
// Dropout, Constant, Shape. reference: https://onnx.ai/onnx/operators/
import { type DType, dtypeFromOnnx, isDType } from '../dtype.js';
import { AttributeError, EfficientDLError } from '../errors.js';
import type { AttrSpec, InferenceContext, OpSchema, ValueInfo } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, type Shape, broadcastShapes, formatShape } from '../shape.js';
import type { TensorData } from '../tensor-data.js';
import {
  ALL_TYPES,
  FLOAT_TYPES,
  NUMERIC_TYPES,
  SIGNED_NUMERIC_TYPES,
  input,
  intAttr,
  requireChoice,
  requireOutputCount,
  sameDType,
  shapeError,
  where,
} from './infer-helpers.js';

/** Broadcasts input shapes, re-throwing failures with op, node and shapes named. */
export function broadcastInputs(context: InferenceContext, shapes: readonly Shape[]): Dim[] {
  try {
    return broadcastShapes(shapes, context.op);
  } catch (error) {
    if (error instanceof EfficientDLError) {
      shapeError(context, `shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast`);
    }
    throw error;
  }
}

interface UnaryOptions {
  dtypes: readonly DType[];
  differentiable: boolean;
  attrs?: Record<string, AttrSpec>;
  validate?: (context: InferenceContext) => void;
}

function unary(name: string, options: UnaryOptions): OpSchema {
  return {
    name,
    domain: ONNX_DOMAIN,
    inputs: [{ name: 'X', dtypes: options.dtypes }],
    outputs: [{ name: 'Y' }],
    attrs: options.attrs ?? {},
    differentiable: options.differentiable,
    infer(context) {
      options.validate?.(context);
      const x = input(context, 0);
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
  };
}

function binary(name: string, dtypes: readonly DType[], output: 'same' | 'bool'): OpSchema {
  return {
    name,
    domain: ONNX_DOMAIN,
    inputs: [
      { name: 'A', dtypes },
      { name: 'B', dtypes },
    ],
    outputs: [{ name: 'C' }],
    attrs: {},
    differentiable: output === 'same',
    infer(context) {
      const dtype = sameDType(context, [0, 1]);
      const shape = broadcastInputs(context, [input(context, 0).shape, input(context, 1).shape]);
      return [{ dtype: output === 'bool' ? 'bool' : dtype, shape }];
    },
  };
}

const float = (differentiable = true): UnaryOptions => ({ dtypes: FLOAT_TYPES, differentiable });

const Pow: OpSchema = {
  name: 'Pow',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'X', dtypes: NUMERIC_TYPES },
    { name: 'Y', dtypes: NUMERIC_TYPES },
  ],
  outputs: [{ name: 'Z' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const x = input(context, 0);
    return [{ dtype: x.dtype, shape: broadcastInputs(context, [x.shape, input(context, 1).shape]) }];
  },
};

const Where: OpSchema = {
  name: 'Where',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'condition', dtypes: ['bool'] }, { name: 'X' }, { name: 'Y' }],
  outputs: [{ name: 'output' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [1, 2]);
    const shapes = [0, 1, 2].map((index) => input(context, index).shape);
    return [{ dtype, shape: broadcastInputs(context, shapes) }];
  },
};

function requireScalar(context: InferenceContext, index: number, what: string): void {
  const info = context.inputs[index];
  if (!info) return;
  const ok = info.shape.length === 0 || (info.shape.length === 1 && (info.shape[0] === 1 || typeof info.shape[0] === 'string'));
  if (!ok) shapeError(context, `${what} must be a scalar, got ${formatShape(info.shape)}`);
}

const Clip: OpSchema = {
  name: 'Clip',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'input', dtypes: NUMERIC_TYPES },
    { name: 'min', optional: true, dtypes: NUMERIC_TYPES },
    { name: 'max', optional: true, dtypes: NUMERIC_TYPES },
  ],
  outputs: [{ name: 'output' }],
  attrs: {},
  differentiable: true,
  infer(context) {
    const dtype = sameDType(context, [0, 1, 2]);
    requireScalar(context, 1, 'min');
    requireScalar(context, 2, 'max');
    return [{ dtype, shape: [...input(context, 0).shape] }];
  },
};

const Cast: OpSchema = {
  name: 'Cast',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { to: { type: 'int', required: true }, saturate: { type: 'int', default: 1 } },
  differentiable: true,
  infer(context) {
    const to = intAttr(context, 'to');
    let dtype: DType;
    try {
      dtype = dtypeFromOnnx(to);
    } catch {
      throw new AttributeError(`${where(context)}: attribute to=${to} is not a supported ONNX data type`, {
        op: context.op,
        node: context.node,
        attribute: 'to',
      });
    }
    return [{ dtype, shape: [...input(context, 0).shape] }];
  },
};

const Dropout: OpSchema = {
  name: 'Dropout',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'data', dtypes: FLOAT_TYPES },
    { name: 'ratio', optional: true, dtypes: FLOAT_TYPES },
    { name: 'training_mode', optional: true, dtypes: ['bool'] },
  ],
  outputs: [{ name: 'output' }, { name: 'mask', optional: true }],
  attrs: { seed: { type: 'int' } },
  differentiable: true,
  infer(context) {
    requireOutputCount(context, 2);
    requireScalar(context, 1, 'ratio');
    requireScalar(context, 2, 'training_mode');
    const data = input(context, 0);
    const outputs: ValueInfo[] = [{ dtype: data.dtype, shape: [...data.shape] }];
    if (context.outputCount > 1) outputs.push({ dtype: 'bool', shape: [...data.shape] });
    return outputs;
  },
};

function constantValue(context: InferenceContext): ValueInfo {
  const attrs = context.attrs;
  const present = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'].filter((key) => key in attrs);
  if (present.length !== 1) {
    throw new AttributeError(`${where(context)}: exactly one value attribute is required, got [${present.join(', ')}]`, {
      op: context.op,
      node: context.node,
    });
  }
  const key = present[0] as string;
  const value = attrs[key];
  if (key === 'value') {
    const tensor = value as TensorData;
    if (!isDType(tensor.dtype)) throw new AttributeError(`${where(context)}: value has no valid dtype`, { op: context.op });
    return { dtype: tensor.dtype, shape: [...tensor.shape] };
  }
  const list = Array.isArray(value) ? value.length : undefined;
  const dtype: DType = key.startsWith('value_int') ? 'int64' : 'float32';
  return { dtype, shape: list === undefined ? [] : [list] };
}

const Constant: OpSchema = {
  name: 'Constant',
  domain: ONNX_DOMAIN,
  inputs: [],
  outputs: [{ name: 'output' }],
  attrs: {
    value: { type: 'tensor' },
    value_float: { type: 'float' },
    value_floats: { type: 'floats' },
    value_int: { type: 'int' },
    value_ints: { type: 'ints' },
  },
  differentiable: false,
  infer: (context) => [constantValue(context)],
};

const ShapeOp: OpSchema = {
  name: 'Shape',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'shape' }],
  attrs: { start: { type: 'int', default: 0 }, end: { type: 'int' } },
  differentiable: false,
  infer(context) {
    const rank = input(context, 0).shape.length;
    const [start, end] = shapeRange(context, rank);
    return [{ dtype: 'int64', shape: [Math.max(0, end - start)] }];
  },
};

/** Shape's [start, end) after ONNX's negative-index and clamping rules. */
export function shapeRange(context: InferenceContext, rank: number): [number, number] {
  const clamp = (value: number) => Math.min(rank, Math.max(0, value < 0 ? value + rank : value));
  const end = context.attrs.end;
  return [clamp(intAttr(context, 'start')), typeof end === 'number' ? clamp(end) : rank];
}

const Gelu = unary('Gelu', {
  ...float(),
  attrs: { approximate: { type: 'string', default: 'none' } },
  validate: (context) => requireChoice(context, 'approximate', ['none', 'tanh']),
});

export const ELEMENTWISE_OPS: readonly OpSchema[] = [
  binary('Add', NUMERIC_TYPES, 'same'),
  binary('Sub', NUMERIC_TYPES, 'same'),
  binary('Mul', NUMERIC_TYPES, 'same'),
  binary('Div', NUMERIC_TYPES, 'same'),
  Pow,
  unary('Neg', { dtypes: SIGNED_NUMERIC_TYPES, differentiable: true }),
  unary('Abs', { dtypes: NUMERIC_TYPES, differentiable: true }),
  unary('Exp', float()),
  unary('Log', float()),
  unary('Sqrt', float()),
  unary('Reciprocal', float()),
  unary('Erf', { dtypes: NUMERIC_TYPES, differentiable: true }),
  unary('Sigmoid', float()),
  unary('Tanh', float()),
  unary('Relu', { dtypes: SIGNED_NUMERIC_TYPES, differentiable: true }),
  unary('LeakyRelu', { ...float(), attrs: { alpha: { type: 'float', default: 0.01 } } }),
  Gelu,
  unary('HardSwish', float()),
  Clip,
  Where,
  binary('Equal', [...NUMERIC_TYPES, 'bool'], 'bool'),
  binary('Less', NUMERIC_TYPES, 'bool'),
  binary('Greater', NUMERIC_TYPES, 'bool'),
  unary('Not', { dtypes: ['bool'], differentiable: false }),
  Cast,
  unary('Identity', { dtypes: ALL_TYPES, differentiable: true }),
  Dropout,
  Constant,
  ShapeOp,
];
