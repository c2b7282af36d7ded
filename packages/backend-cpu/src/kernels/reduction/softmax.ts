// Softmax and LogSoftmax along one axis (opset 13, default axis -1), numerically stable: the
// maximum along the axis is subtracted before exp. Works on (outer, D, inner) views with
// sequential memory access (per-row for inner = 1, per-column vectors otherwise).
// reference: https://onnx.ai/onnx/operators/onnx__Softmax.html, https://onnx.ai/onnx/operators/onnx__LogSoftmax.html
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  FLOAT_DTYPES,
  type NumberArray,
  allocateComputeValues,
  checkDType,
  computeValues,
  fromComputeValues,
  requireInput,
} from '../elementwise/kernel-support.js';
import { resolveAxis } from '../shape/reshape.js';
import { singleAxisLayout } from './axis-layout.js';

/** x: (outer, size) rows → softmax (or log-softmax) rows. */
function softmaxRows(x: NumberArray, out: NumberArray, outer: number, size: number, log: boolean): void {
  for (let row = 0; row < outer; row++) {
    const base = row * size;
    let maximum = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < size; i++) if ((x[base + i] as number) > maximum) maximum = x[base + i] as number;
    let sum = 0;
    for (let i = 0; i < size; i++) {
      const e = Math.exp((x[base + i] as number) - maximum);
      if (!log) out[base + i] = e;
      sum += e;
    }
    if (log) {
      const shift = maximum + Math.log(sum);
      for (let i = 0; i < size; i++) out[base + i] = (x[base + i] as number) - shift;
    } else {
      const scale = 1 / sum;
      for (let i = 0; i < size; i++) out[base + i] = (out[base + i] as number) * scale;
    }
  }
}

/** x: (outer, size, inner) → softmax along the middle axis, walking rows of length inner. */
function softmaxColumns(x: NumberArray, out: NumberArray, outer: number, size: number, inner: number, log: boolean): void {
  const maximum = new Float64Array(inner);
  const sum = new Float64Array(inner);
  for (let row = 0; row < outer; row++) {
    const base = row * size * inner;
    maximum.fill(Number.NEGATIVE_INFINITY);
    sum.fill(0);
    for (let r = 0; r < size; r++) {
      for (let i = 0; i < inner; i++) {
        const value = x[base + r * inner + i] as number;
        if (value > (maximum[i] as number)) maximum[i] = value;
      }
    }
    for (let r = 0; r < size; r++) {
      for (let i = 0; i < inner; i++) {
        const e = Math.exp((x[base + r * inner + i] as number) - (maximum[i] as number));
        if (!log) out[base + r * inner + i] = e;
        sum[i] = (sum[i] as number) + e;
      }
    }
    for (let i = 0; i < inner; i++) sum[i] = log ? (maximum[i] as number) + Math.log(sum[i] as number) : 1 / (sum[i] as number);
    for (let r = 0; r < size; r++) {
      for (let i = 0; i < inner; i++) {
        const index = base + r * inner + i;
        out[index] = log ? (x[index] as number) - (sum[i] as number) : (out[index] as number) * (sum[i] as number);
      }
    }
  }
}

function softmaxKernel(log: boolean): Kernel {
  return (inputs, attrs, context) => {
    const input = requireInput(inputs, 0, context);
    checkDType(input, FLOAT_DTYPES, context, 'input');
    const axis = resolveAxis((attrs.axis as number | undefined) ?? -1, input.shape.length, context);
    const { outer, reduced, inner } = singleAxisLayout(input, axis);
    const x = computeValues(input) as NumberArray;
    const out = allocateComputeValues(input.dtype, x.length) as NumberArray;
    if (inner === 1) softmaxRows(x, out, outer, reduced, log);
    else softmaxColumns(x, out, outer, reduced, inner, log);
    return [fromComputeValues(input.dtype, input.shape, out)];
  };
}

export const SOFTMAX_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'Softmax', kernel: softmaxKernel(false) }),
  defineKernel({ op: 'LogSoftmax', kernel: softmaxKernel(true) }),
];
