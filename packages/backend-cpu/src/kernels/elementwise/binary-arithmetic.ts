// Add, Sub, Mul, Div, Pow with multidirectional broadcasting. float32 runs through dedicated
// per-op loops over Float32Array (one call per contiguous run); other dtypes use JS numbers
// (integer results wrap/truncate through the typed-array store, so integer Div truncates toward
// zero) or BigInt for int64/uint64; float16/bfloat16 compute in float32.
// reference: https://onnx.ai/onnx/operators/onnx__Add.html (Sub, Mul, Div, Pow likewise)
import { type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { broadcastLayout, forEachRun } from './broadcast.js';
import {
  type BigIntArray,
  NUMERIC_DTYPES,
  type NumberArray,
  allocateComputeValues,
  checkDType,
  checkSameDType,
  computeValues,
  fromComputeValues,
  isBigIntDType,
  requireInput,
} from './kernel-support.js';

/** out[o + i] = a[ai + i·as] ∘ b[bi + i·bs] for i < length. */
type Float32Run = (
  a: Float32Array, ai: number, as: number,
  b: Float32Array, bi: number, bs: number,
  out: Float32Array, o: number, length: number,
) => void;

interface BinaryArithmetic {
  readonly op: string;
  readonly float32Run: Float32Run;
  readonly number: (a: number, b: number) => number;
  /** Overrides `number` for int32/uint32 where doubles lose exactness (Mul). */
  readonly int32?: (a: number, b: number) => number;
  readonly bigint: (a: bigint, b: bigint) => bigint;
}

const addRun: Float32Run = (a, ai, as, b, bi, bs, out, o, length) => {
  for (let i = 0; i < length; i++, ai += as, bi += bs) out[o + i] = (a[ai] as number) + (b[bi] as number);
};
const subRun: Float32Run = (a, ai, as, b, bi, bs, out, o, length) => {
  for (let i = 0; i < length; i++, ai += as, bi += bs) out[o + i] = (a[ai] as number) - (b[bi] as number);
};
const mulRun: Float32Run = (a, ai, as, b, bi, bs, out, o, length) => {
  for (let i = 0; i < length; i++, ai += as, bi += bs) out[o + i] = (a[ai] as number) * (b[bi] as number);
};
const divRun: Float32Run = (a, ai, as, b, bi, bs, out, o, length) => {
  for (let i = 0; i < length; i++, ai += as, bi += bs) out[o + i] = (a[ai] as number) / (b[bi] as number);
};
const powRun: Float32Run = (a, ai, as, b, bi, bs, out, o, length) => {
  for (let i = 0; i < length; i++, ai += as, bi += bs) out[o + i] = (a[ai] as number) ** (b[bi] as number);
};

/** Integer power with a possibly negative exponent (truncated like C's pow then cast). */
function bigintPower(base: bigint, exponent: bigint): bigint {
  if (exponent >= 0n) return base ** exponent;
  if (base === 1n) return 1n;
  if (base === -1n) return exponent % 2n === 0n ? 1n : -1n;
  return 0n;
}

const DEFINITIONS: readonly BinaryArithmetic[] = [
  { op: 'Add', float32Run: addRun, number: (a, b) => a + b, bigint: (a, b) => a + b },
  { op: 'Sub', float32Run: subRun, number: (a, b) => a - b, bigint: (a, b) => a - b },
  { op: 'Mul', float32Run: mulRun, number: (a, b) => a * b, int32: Math.imul, bigint: (a, b) => a * b },
  { op: 'Div', float32Run: divRun, number: (a, b) => a / b, bigint: (a, b) => (b === 0n ? 0n : a / b) },
  { op: 'Pow', float32Run: powRun, number: (a, b) => a ** b, bigint: bigintPower },
];

function runFloat32(definition: BinaryArithmetic, a: TensorData, b: TensorData, context: KernelContext): TensorData {
  // a, b: broadcastable float32 tensors → out: broadcast shape
  const layout = broadcastLayout([a.shape, b.shape], context);
  const out = new Float32Array(layout.size);
  const inner = layout.dims.length - 1;
  const strideA = layout.strides[0]?.[inner] as number;
  const strideB = layout.strides[1]?.[inner] as number;
  const aData = a.data as Float32Array;
  const bData = b.data as Float32Array;
  const run = definition.float32Run;
  forEachRun(layout, (offsets, outOffset, length) => {
    run(aData, offsets[0] as number, strideA, bData, offsets[1] as number, strideB, out, outOffset, length);
  });
  return { dtype: 'float32', shape: layout.shape, data: out };
}

function runGeneric(definition: BinaryArithmetic, a: TensorData, b: TensorData, context: KernelContext): TensorData {
  const layout = broadcastLayout([a.shape, b.shape], context);
  const inner = layout.dims.length - 1;
  const strideA = layout.strides[0]?.[inner] as number;
  const strideB = layout.strides[1]?.[inner] as number;
  const bigint = isBigIntDType(a.dtype);
  const aValues = computeValues(a);
  const bValues = computeValues(b);
  const out = allocateComputeValues(a.dtype, layout.size);
  if (bigint) {
    const apply = definition.bigint;
    const [x, y, result] = [aValues as BigIntArray, bValues as BigIntArray, out as BigIntArray];
    forEachRun(layout, (offsets, outOffset, length) => {
      for (let i = 0, ai = offsets[0] as number, bi = offsets[1] as number; i < length; i++, ai += strideA, bi += strideB) {
        result[outOffset + i] = apply(x[ai] as bigint, y[bi] as bigint);
      }
    });
  } else {
    const is32 = a.dtype === 'int32' || a.dtype === 'uint32';
    const apply = (is32 && definition.int32) || definition.number;
    const [x, y, result] = [aValues as NumberArray, bValues as NumberArray, out as NumberArray];
    forEachRun(layout, (offsets, outOffset, length) => {
      for (let i = 0, ai = offsets[0] as number, bi = offsets[1] as number; i < length; i++, ai += strideA, bi += strideB) {
        result[outOffset + i] = apply(x[ai] as number, y[bi] as number);
      }
    });
  }
  return fromComputeValues(a.dtype, layout.shape, out);
}

/** Pow with base and exponent of different dtypes: computed in doubles, result in the base dtype. */
function runMixedPow(a: TensorData, b: TensorData, context: KernelContext): TensorData {
  const layout = broadcastLayout([a.shape, b.shape], context);
  const inner = layout.dims.length - 1;
  const strideA = layout.strides[0]?.[inner] as number;
  const strideB = layout.strides[1]?.[inner] as number;
  const base = toNumberArray(a);
  const exponent = toNumberArray(b);
  const out = new Float64Array(layout.size);
  forEachRun(layout, (offsets, outOffset, length) => {
    for (let i = 0, ai = offsets[0] as number, bi = offsets[1] as number; i < length; i++, ai += strideA, bi += strideB) {
      out[outOffset + i] = (base[ai] as number) ** (exponent[bi] as number);
    }
  });
  return fromNumbers(a.dtype, layout.shape, out);
}

function binaryKernel(definition: BinaryArithmetic): Kernel {
  return (inputs, _attrs, context) => {
    const a = requireInput(inputs, 0, context);
    const b = requireInput(inputs, 1, context);
    checkDType(a, NUMERIC_DTYPES, context, 'A');
    checkDType(b, NUMERIC_DTYPES, context, 'B');
    if (definition.op === 'Pow' && a.dtype !== b.dtype) return [runMixedPow(a, b, context)];
    checkSameDType([a, b], context);
    if (a.dtype === 'float32') return [runFloat32(definition, a, b, context)];
    return [runGeneric(definition, a, b, context)];
  };
}

export const BINARY_ARITHMETIC_KERNELS: readonly KernelDefinition[] = DEFINITIONS.map((definition) =>
  defineKernel({ op: definition.op, kernel: binaryKernel(definition) }),
);
