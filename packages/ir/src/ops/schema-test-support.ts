// Test support for op-schema tests: run a schema's inference from compact input descriptions
// (ValueInfo, or TensorData whose values become known constants) and assert typed errors.
import { expect } from 'vitest';
import type { DType } from '../dtype.js';
import type { EfficientDLError } from '../errors.js';
import { type Attributes, type ValueInfo, defaultOutputCount, inferOutputs, resolveAttributes } from '../op-schema.js';
import { getOpSchema } from '../registry.js';
import type { Dim } from '../shape.js';
import { type TensorData, fromNumbers } from '../tensor-data.js';

export type InputDescription = ValueInfo | TensorData | undefined;

export interface InferOptions {
  attrs?: Attributes;
  outputCount?: number;
  node?: string;
}

/** A symbolic-or-static value description. */
export function info(dtype: DType, shape: readonly Dim[]): ValueInfo {
  return { dtype, shape };
}

/** A known 1-D int64 constant (shape-like operand). */
export function int64(values: readonly number[]): TensorData {
  return fromNumbers('int64', [values.length], values);
}

export function float32(values: readonly number[], shape: readonly number[] = [values.length]): TensorData {
  return fromNumbers('float32', shape, values);
}

/** Runs the registered schema's inference (attributes resolved, input counts/dtypes checked). */
export function infer(op: string, inputs: readonly InputDescription[], options: InferOptions = {}): ValueInfo[] {
  const node = options.node ?? 'node1';
  const schema = getOpSchema(op);
  const attrs = resolveAttributes(schema, options.attrs ?? {}, node);
  const outputCount =
    options.outputCount ?? defaultOutputCount(schema);
  return inferOutputs(schema, {
    op,
    node,
    inputs: inputs.map((value) => (value ? { dtype: value.dtype, shape: value.shape } : undefined)),
    constants: inputs.map((value) => (value && 'data' in value ? value : undefined)),
    attrs,
    outputCount,
  });
}

/** Shape of the first output. */
export function shapeOf(op: string, inputs: readonly InputDescription[], options: InferOptions = {}): Dim[] {
  return [...(infer(op, inputs, options)[0] as ValueInfo).shape];
}

/** Asserts `run` throws an instance of `errorClass` whose message names the op and node. */
export function expectInferError(
  run: () => unknown,
  errorClass: new (...args: never[]) => EfficientDLError,
  op: string,
  node = 'node1',
): EfficientDLError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(errorClass);
  const error = caught as EfficientDLError;
  expect(error.message).toContain(op);
  expect(error.message).toContain(node);
  return error;
}
