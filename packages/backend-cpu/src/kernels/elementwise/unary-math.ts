// Elementwise unary math and activations: Neg Abs Exp Log Sqrt Reciprocal Erf Sigmoid Tanh Relu
// LeakyRelu Gelu (approximate 'none' | 'tanh') HardSwish.
// reference: https://onnx.ai/onnx/operators/onnx__Neg.html (and onnx__<Op>.html for each op)
import { type Attributes, AttributeError } from '@efficientdl/ir';
import { type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { erf } from './erf.js';
import { FLOAT_DTYPES, NUMERIC_DTYPES, SIGNED_NUMERIC_DTYPES } from './kernel-support.js';
import { type UnaryFunctions, mapUnary } from './unary-map.js';
import { wasmRelu } from '../../wasm/wasm-elementwise-train.js';
import type { DType } from '@efficientdl/ir';

interface UnaryDefinition {
  readonly op: string;
  readonly dtypes: readonly DType[];
  readonly functions: (attrs: Attributes, context: KernelContext) => UnaryFunctions;
}

/** Numerically stable logistic function (no exp overflow for large |x|). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// Dedicated float32 loops (monomorphic, no per-element closure calls).
const negLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = -(source[index] as number);
};
const absLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = Math.abs(source[index] as number);
};
const expLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = Math.exp(source[index] as number);
};
const logLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = Math.log(source[index] as number);
};
const sqrtLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = Math.sqrt(source[index] as number);
};
const reciprocalLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = 1 / (source[index] as number);
};
const tanhLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = Math.tanh(source[index] as number);
};
const sigmoidLoop = (source: Float32Array, target: Float32Array): void => {
  for (let index = 0; index < source.length; index++) target[index] = sigmoid(source[index] as number);
};
// Relu: x > 0 ? x : 0 (NaN and -0 give +0) without a data-dependent branch: the bits of x are
// ANDed with an all-ones mask where x > 0 and with 0 elsewhere.
const reluLoop = (source: Float32Array, target: Float32Array): void => {
  const sourceBits = new Int32Array(source.buffer, source.byteOffset, source.length);
  const targetBits = new Int32Array(target.buffer, target.byteOffset, target.length);
  for (let index = 0; index < source.length; index++) {
    targetBits[index] = (sourceBits[index] as number) & -Number((source[index] as number) > 0);
  }
};

/** Large tensors go to the WebAssembly SIMD loop (same bits), small ones stay in TypeScript. */
const WASM_RELU_MIN_ELEMENTS = 16384;
const reluFloat32 = (source: Float32Array, target: Float32Array): void => {
  if (source.length < WASM_RELU_MIN_ELEMENTS || !wasmRelu(source, target)) reluLoop(source, target);
};

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

function geluFunctions(attrs: Attributes, context: KernelContext): UnaryFunctions {
  const approximate = attrs.approximate ?? 'none';
  if (approximate === 'none') return { number: (x) => 0.5 * x * (1 + erf(x * SQRT_HALF)) };
  if (approximate === 'tanh') {
    return { number: (x) => 0.5 * x * (1 + Math.tanh(SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x))) };
  }
  throw new AttributeError(`Gelu (node '${context.node}'): approximate must be 'none' or 'tanh', got '${String(approximate)}'`, {
    op: 'Gelu',
    node: context.node,
    attribute: 'approximate',
  });
}

const DEFINITIONS: readonly UnaryDefinition[] = [
  { op: 'Neg', dtypes: SIGNED_NUMERIC_DTYPES, functions: () => ({ number: (x) => -x, bigint: (x) => -x, float32: negLoop }) },
  {
    op: 'Abs',
    dtypes: NUMERIC_DTYPES,
    functions: () => ({ number: Math.abs, bigint: (x) => (x < 0n ? -x : x), float32: absLoop }),
  },
  { op: 'Exp', dtypes: FLOAT_DTYPES, functions: () => ({ number: Math.exp, float32: expLoop }) },
  { op: 'Log', dtypes: FLOAT_DTYPES, functions: () => ({ number: Math.log, float32: logLoop }) },
  { op: 'Sqrt', dtypes: FLOAT_DTYPES, functions: () => ({ number: Math.sqrt, float32: sqrtLoop }) },
  { op: 'Reciprocal', dtypes: FLOAT_DTYPES, functions: () => ({ number: (x) => 1 / x, float32: reciprocalLoop }) },
  { op: 'Erf', dtypes: FLOAT_DTYPES, functions: () => ({ number: erf }) },
  { op: 'Sigmoid', dtypes: FLOAT_DTYPES, functions: () => ({ number: sigmoid, float32: sigmoidLoop }) },
  { op: 'Tanh', dtypes: FLOAT_DTYPES, functions: () => ({ number: Math.tanh, float32: tanhLoop }) },
  {
    op: 'Relu',
    dtypes: SIGNED_NUMERIC_DTYPES,
    functions: () => ({ number: (x) => (x > 0 ? x : 0), bigint: (x) => (x > 0n ? x : 0n), float32: reluFloat32 }),
  },
  {
    op: 'LeakyRelu',
    dtypes: FLOAT_DTYPES,
    functions: (attrs) => {
      const alpha = (attrs.alpha as number | undefined) ?? 0.01;
      return { number: (x) => (x >= 0 ? x : alpha * x) };
    },
  },
  { op: 'Gelu', dtypes: FLOAT_DTYPES, functions: geluFunctions },
  {
    op: 'HardSwish',
    dtypes: FLOAT_DTYPES,
    // y = x · max(0, min(1, x/6 + 1/2))
    functions: () => ({ number: (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5)) }),
  },
];

export const UNARY_MATH_KERNELS: readonly KernelDefinition[] = DEFINITIONS.map((definition) =>
  defineKernel({
    op: definition.op,
    kernel: (inputs, attrs, context) => [mapUnary(inputs, context, definition.dtypes, definition.functions(attrs, context))],
  }),
);
