// Op schemas: one per op (inputs, outputs, typed attributes with ONNX defaults, shape + dtype
// inference). The registry is open: packages add their own ops with registerOp (DESIGN §2).
import type { DType } from './dtype.js';
import { AttributeError, DTypeError, ShapeError } from './errors.js';
import { type Shape, formatShape } from './shape.js';
import type { TensorData } from './tensor-data.js';

export const ONNX_DOMAIN = '';
export const EFFICIENTDL_DOMAIN = 'ai.efficientdl';

export type AttrType = 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor';
export type AttrValue = number | string | readonly number[] | readonly string[] | TensorData;
export type Attributes = Readonly<Record<string, AttrValue>>;

export interface AttrSpec {
  readonly type: AttrType;
  readonly default?: AttrValue;
  readonly required?: boolean;
}

export interface InputSpec {
  readonly name: string;
  readonly optional?: boolean;
  /** A variadic input takes all remaining positions (Concat's inputs). */
  readonly variadic?: boolean;
  /** Allowed dtypes; omitted means any. */
  readonly dtypes?: readonly DType[];
}

export interface OutputSpec {
  readonly name: string;
  readonly optional?: boolean;
  readonly variadic?: boolean;
}

/** What inference knows about a value: its dtype and (possibly symbolic) shape. */
export interface ValueInfo {
  readonly dtype: DType;
  readonly shape: Shape;
}

export interface InferenceContext {
  readonly op: string;
  readonly node: string;
  /** One entry per input position; undefined for an omitted optional input. */
  readonly inputs: readonly (ValueInfo | undefined)[];
  /** Known values of inputs (initializers, Constant outputs, eager data); undefined if unknown. */
  readonly constants: readonly (TensorData | undefined)[];
  /** Attributes with defaults filled in. */
  readonly attrs: Attributes;
  /** How many outputs the node declares. */
  readonly outputCount: number;
}

export interface OpSchema {
  readonly name: string;
  /** '' for the ONNX default domain, 'ai.efficientdl' for ours. */
  readonly domain: string;
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly OutputSpec[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /** Whether autograd may differentiate through this op. */
  readonly differentiable?: boolean;
  readonly doc?: string;
  /** Shape and dtype inference; throws ShapeError/DTypeError naming op, node and shapes. */
  infer(context: InferenceContext): ValueInfo[];
}

function checkAttrType(spec: AttrSpec, value: AttrValue): boolean {
  switch (spec.type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'ints':
      return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isInteger(item));
    case 'floats':
      return Array.isArray(value) && value.every((item) => typeof item === 'number');
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'tensor':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && 'dtype' in value;
  }
}

/** Validates attributes against the schema and fills defaults. Unknown attributes are errors. */
export function resolveAttributes(schema: OpSchema, attrs: Attributes = {}, node = ''): Attributes {
  const resolved: Record<string, AttrValue> = {};
  for (const [name, value] of Object.entries(attrs)) {
    const spec = schema.attrs[name];
    if (!spec) {
      throw new AttributeError(`${schema.name} (node '${node}'): unknown attribute '${name}'`, {
        op: schema.name,
        node,
        attribute: name,
      });
    }
    if (!checkAttrType(spec, value)) {
      throw new AttributeError(
        `${schema.name} (node '${node}'): attribute '${name}' must be of type ${spec.type}, got ${JSON.stringify(value)}`,
        { op: schema.name, node, attribute: name },
      );
    }
    resolved[name] = value;
  }
  for (const [name, spec] of Object.entries(schema.attrs)) {
    if (name in resolved) continue;
    if (spec.required) {
      throw new AttributeError(`${schema.name} (node '${node}'): missing required attribute '${name}'`, {
        op: schema.name,
        node,
        attribute: name,
      });
    }
    if (spec.default !== undefined) resolved[name] = spec.default;
  }
  return resolved;
}

/** Outputs a node of this op produces when the caller does not say: its required outputs (≥ 1). */
export function defaultOutputCount(schema: OpSchema): number {
  return Math.max(1, schema.outputs.filter((output) => !output.optional && !output.variadic).length);
}

/** Checks the input count against the schema (optional and variadic aware). */
export function checkInputCount(schema: OpSchema, count: number, node = ''): void {
  const variadic = schema.inputs.some((input) => input.variadic);
  const required = schema.inputs.filter((input) => !input.optional && !input.variadic).length;
  const maximum = variadic ? Number.POSITIVE_INFINITY : schema.inputs.length;
  if (count < required || count > maximum) {
    throw new ShapeError(
      `${schema.name} (node '${node}'): expected ${required === maximum ? required : `${required}..${maximum}`} inputs, got ${count}`,
      { op: schema.name, node },
    );
  }
}

/** The spec governing input position `index` (the variadic spec covers the rest). */
function inputSpecAt(schema: OpSchema, index: number): InputSpec | undefined {
  const spec = schema.inputs[index];
  if (spec) return spec;
  const last = schema.inputs[schema.inputs.length - 1];
  return last?.variadic ? last : undefined;
}

/** Checks required inputs are present and every present input has an allowed dtype. */
export function checkInputDTypes(schema: OpSchema, context: InferenceContext): void {
  context.inputs.forEach((info, index) => {
    const spec = inputSpecAt(schema, index);
    if (!spec) return;
    if (!info) {
      if (spec.optional) return;
      throw new ShapeError(`${schema.name} (node '${context.node}'): required input ${index} ('${spec.name}') is missing`, {
        op: schema.name,
        node: context.node,
      });
    }
    if (spec.dtypes && !spec.dtypes.includes(info.dtype)) {
      throw new DTypeError(
        `${schema.name} (node '${context.node}'): input ${index} ('${spec.name}') has dtype ${info.dtype}${formatShape(info.shape)}; allowed: ${spec.dtypes.join(', ')}`,
        { op: schema.name, node: context.node, input: spec.name, dtype: info.dtype },
      );
    }
  });
}

/** Runs a schema's inference with input-count and dtype checks. */
export function inferOutputs(schema: OpSchema, context: InferenceContext): ValueInfo[] {
  checkInputCount(schema, context.inputs.length, context.node);
  checkInputDTypes(schema, context);
  return schema.infer(context);
}
