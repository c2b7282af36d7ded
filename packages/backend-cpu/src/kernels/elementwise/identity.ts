// Identity (copy of the input) and Dropout: identity in inference, with the optional mask output
// all true; with training_mode = true and ratio > 0 it zeroes elements with a seeded generator
// (attribute `seed`, default 0) and scales the kept ones by 1 / (1 - ratio).
// reference: https://onnx.ai/onnx/operators/onnx__Identity.html, https://onnx.ai/onnx/operators/onnx__Dropout.html
import { type TensorData, shapeSize, toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  FLOAT_DTYPES,
  type NumberArray,
  allocateComputeValues,
  checkDType,
  computeValues,
  fromComputeValues,
  requireInput,
  shapeError,
} from './kernel-support.js';

function copyTensor(input: TensorData): TensorData {
  return { dtype: input.dtype, shape: [...input.shape], data: input.data.slice() };
}

const identityKernel: Kernel = (inputs, _attrs, context) => [copyTensor(requireInput(inputs, 0, context))];

/** mulberry32: a tiny seeded uniform generator in [0, 1). */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dropoutKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  checkDType(data, FLOAT_DTYPES, context, 'data');
  const ratio = inputs[1] ? (toNumberArray(inputs[1])[0] as number) : 0.5;
  const training = inputs[2] ? (inputs[2].data[0] as number) !== 0 : false;
  if (!(ratio >= 0 && ratio < 1)) throw shapeError(context, `ratio must be in [0, 1), got ${ratio}`);
  const count = shapeSize(data.shape);
  const mask = new Uint8Array(count).fill(1);
  let output: TensorData;
  if (!training || ratio === 0) {
    output = copyTensor(data);
  } else {
    const random = seededUniform((attrs.seed as number | undefined) ?? 0);
    const values = computeValues(data) as NumberArray;
    const out = allocateComputeValues(data.dtype, count) as NumberArray;
    const scale = 1 / (1 - ratio);
    for (let index = 0; index < count; index++) {
      const keep = random() >= ratio;
      mask[index] = keep ? 1 : 0;
      out[index] = keep ? (values[index] as number) * scale : 0;
    }
    output = fromComputeValues(data.dtype, data.shape, out);
  }
  const outputs = [output];
  if (context.outputCount > 1) outputs.push({ dtype: 'bool', shape: [...data.shape], data: mask });
  return outputs;
};

export const IDENTITY_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'Identity', kernel: identityKernel }),
  defineKernel({ op: 'Dropout', kernel: dropoutKernel }),
];
