// Runs one OpCase on one backend: schema inference → backend kernel → comparison with the
// expected outputs, and a check that inferred shapes/dtypes equal the kernel's actual ones.
import {
  type Backend,
  type TensorData,
  EfficientDLError,
  defaultOutputCount,
  formatShape,
  getOpSchema,
  inferOutputs,
  resolveAttributes,
} from '@efficientdl/ir';
import { compareClose } from '../expect-close.js';
import type { OpCase } from './op-case.js';

export interface CaseResult {
  name: string;
  ok: boolean;
  message: string;
}

/** Executes a case; never throws, reports instead. */
export function runCase(backend: Backend<TensorData>, testCase: OpCase): CaseResult {
  const { name } = testCase;
  try {
    const outputs = executeCase(backend, testCase);
    if (testCase.expectError) return { name, ok: false, message: `expected ${testCase.expectError}, got no error` };
    const expected = testCase.expected ?? [];
    for (let index = 0; index < expected.length; index++) {
      const actual = outputs[index];
      const wanted = expected[index] as TensorData;
      if (!actual) return { name, ok: false, message: `output ${index} missing` };
      if (actual.dtype !== wanted.dtype) return { name, ok: false, message: `output ${index} dtype ${actual.dtype} != ${wanted.dtype}` };
      const report = compareClose(actual, wanted, testCase.tolerance);
      if (!report.ok) return { name, ok: false, message: `output ${index}: ${report.message}` };
    }
    return { name, ok: true, message: '' };
  } catch (error) {
    if (testCase.expectError && error instanceof EfficientDLError && error.code === testCase.expectError) {
      return { name, ok: true, message: '' };
    }
    return { name, ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Runs inference and the kernel; throws if they disagree on any output's dtype or shape. */
export function executeCase(backend: Backend<TensorData>, testCase: OpCase): TensorData[] {
  const domain = testCase.domain ?? '';
  const schema = getOpSchema(testCase.op, domain, testCase.name);
  const attrs = resolveAttributes(schema, testCase.attrs ?? {}, testCase.name);
  const outputCount = testCase.outputCount ?? defaultOutputCount(schema);
  const inferred = inferOutputs(schema, {
    op: testCase.op,
    node: testCase.name,
    inputs: testCase.inputs.map((input) => (input ? { dtype: input.dtype, shape: input.shape } : undefined)),
    constants: testCase.inputs,
    attrs,
    outputCount,
  });
  const outputs = backend.run({ op: testCase.op, domain, name: testCase.name, attrs }, testCase.inputs, outputCount);
  outputs.forEach((output, index) => {
    const info = inferred[index];
    if (!info) return;
    const agrees =
      info.dtype === output.dtype &&
      info.shape.length === output.shape.length &&
      info.shape.every((dim, axis) => typeof dim !== 'number' || dim === output.shape[axis]);
    if (!agrees) {
      throw new Error(
        `inference/kernel disagree on output ${index}: inferred ${info.dtype}${formatShape(info.shape)}, kernel ${output.dtype}${formatShape(output.shape)}`,
      );
    }
  });
  return outputs;
}
