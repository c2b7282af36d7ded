// Comparisons with broadcasting (Equal, Less, Greater, LessOrEqual, GreaterOrEqual → bool),
// logical Not, and Where(condition, X, Y).
// reference: https://onnx.ai/onnx/operators/onnx__Equal.html, onnx__Less.html, onnx__Greater.html,
// onnx__Not.html, onnx__Where.html
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { broadcastLayout, forEachRun } from './broadcast.js';
import {
  NUMERIC_DTYPES,
  allocateElements,
  checkDType,
  checkSameDType,
  computeValues,
  elementStorage,
  fromElements,
  requireInput,
} from './kernel-support.js';

/** Compares two elements; values are numbers or bigints (never mixed), so < and === work on both. */
type Compare = (a: number, b: number) => boolean;

function comparisonKernel(compare: Compare, allowBool: boolean): Kernel {
  return (inputs, _attrs, context) => {
    const a = requireInput(inputs, 0, context);
    const b = requireInput(inputs, 1, context);
    const allowed = allowBool ? [...NUMERIC_DTYPES, 'bool' as const] : NUMERIC_DTYPES;
    checkDType(a, allowed, context, 'A');
    checkSameDType([a, b], context);
    // a, b: broadcastable → out: bool of the broadcast shape
    const layout = broadcastLayout([a.shape, b.shape], context);
    const inner = layout.dims.length - 1;
    const strideA = layout.strides[0]?.[inner] as number;
    const strideB = layout.strides[1]?.[inner] as number;
    const x = computeValues(a) as Float32Array;
    const y = computeValues(b) as Float32Array;
    const out = new Uint8Array(layout.size);
    forEachRun(layout, (offsets, outOffset, length) => {
      for (let i = 0, ai = offsets[0] as number, bi = offsets[1] as number; i < length; i++, ai += strideA, bi += strideB) {
        out[outOffset + i] = compare(x[ai] as number, y[bi] as number) ? 1 : 0;
      }
    });
    return [{ dtype: 'bool', shape: layout.shape, data: out }];
  };
}

const notKernel: Kernel = (inputs, _attrs, context) => {
  const x = requireInput(inputs, 0, context);
  checkDType(x, ['bool'], context, 'X');
  const source = x.data as Uint8Array;
  const out = new Uint8Array(source.length);
  for (let index = 0; index < source.length; index++) out[index] = source[index] ? 0 : 1;
  return [{ dtype: 'bool', shape: [...x.shape], data: out }];
};

const whereKernel: Kernel = (inputs, _attrs, context) => {
  const condition = requireInput(inputs, 0, context);
  const x = requireInput(inputs, 1, context);
  const y = requireInput(inputs, 2, context);
  checkDType(condition, ['bool'], context, 'condition');
  checkSameDType([x, y], context);
  // condition, X, Y: broadcastable → out: broadcast shape, dtype of X
  const layout = broadcastLayout([condition.shape, x.shape, y.shape], context);
  const inner = layout.dims.length - 1;
  const [strideC, strideX, strideY] = layout.strides.map((strides) => strides[inner] as number) as [number, number, number];
  const flags = condition.data as Uint8Array;
  const xValues = elementStorage(x) as Float32Array;
  const yValues = elementStorage(y) as Float32Array;
  const out = allocateElements(x.dtype, layout.size) as Float32Array;
  forEachRun(layout, (offsets, outOffset, length) => {
    let ci = offsets[0] as number;
    let xi = offsets[1] as number;
    let yi = offsets[2] as number;
    for (let i = 0; i < length; i++, ci += strideC, xi += strideX, yi += strideY) {
      out[outOffset + i] = flags[ci] ? (xValues[xi] as number) : (yValues[yi] as number);
    }
  });
  return [fromElements(x.dtype, layout.shape, out)];
};

export const COMPARISON_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'Equal', kernel: comparisonKernel((a, b) => a === b, true) }),
  defineKernel({ op: 'Less', kernel: comparisonKernel((a, b) => a < b, false) }),
  defineKernel({ op: 'Greater', kernel: comparisonKernel((a, b) => a > b, false) }),
  defineKernel({ op: 'LessOrEqual', kernel: comparisonKernel((a, b) => a <= b, false) }),
  defineKernel({ op: 'GreaterOrEqual', kernel: comparisonKernel((a, b) => a >= b, false) }),
  defineKernel({ op: 'Not', kernel: notKernel }),
  defineKernel({ op: 'Where', kernel: whereKernel }),
];
