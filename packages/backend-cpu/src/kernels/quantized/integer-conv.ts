// ConvInteger(x, w, x_zero_point?, w_zero_point?) → int32 conv of (x − x_zp) and (w − w_zp), and
// QLinearConv, which adds the int32 bias and requantizes: y = saturate(round_half_even((acc + B) ·
// x_scale · w_scale[m] / y_scale) + y_zero_point). w's zero point / scale may be per output channel.
// QLinearConv on 1-D / 2-D problems with group 1 and a per-tensor x zero point runs the WebAssembly
// quantized convolution with fused requantization (qlinear-conv-wasm.ts) when it can; else 1-D /
// 2-D problems with a per-tensor x zero point and one shared w zero point run the fast path
// (8-bit im2col + int8 GEMM, integer-conv-fast.ts); everything else runs the readable reference
// convolution on exact integers held in float64, which is also the fast paths' oracle.
// reference: https://onnx.ai/onnx/operators/onnx__ConvInteger.html, https://onnx.ai/onnx/operators/onnx__QLinearConv.html
import { type Attributes, type TensorData, fromNumbers, shapeSize, tensorData, toNumberArray } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { convReference } from '../convolution/conv-reference.js';
import { type ConvSetup, convSetup } from '../convolution/conv-setup.js';
import { dtypeError, requireInput, shapeError } from '../elementwise/kernel-support.js';
import { fastConvApplies, integerConvChunks, uniformZeroPoint } from './integer-conv-fast.js';
import { INT8_DTYPES, checkQuantized, quantizedValues, readParameter, requantize, scaleRounding } from './integer-parameters.js';
import { qlinearConvWasm } from './qlinear-conv-wasm.js';
import { requantizeChunk } from './requantize-chunk.js';

interface IntegerConv {
  readonly setup: ConvSetup;
  /** y: (N, M, O1, …) exact integer accumulations (bias included) */
  readonly accumulators: Float64Array;
}

interface IntegerConvInputs {
  readonly x: TensorData;
  readonly w: TensorData;
  readonly xZero?: TensorData;
  readonly wZero?: TensorData;
  readonly bias?: TensorData;
}

function integerConv(inputs: IntegerConvInputs, attrs: Attributes, context: KernelContext): IntegerConv {
  // x: (N, C, D1, …), w: (M, C/group, k1, …)
  const { x, w, xZero, wZero, bias } = inputs;
  const setup = convSetup(x.shape, w.shape, attrs, context);
  const xShift = readParameter(xZero, 1, context, 'x_zero_point').at(0);
  const wShift = readParameter(wZero, setup.outChannels, context, 'w_zero_point');
  const perChannel = shapeSize(w.shape) / setup.outChannels;
  const xValues = quantizedValues(x, xZero, context, 'x').map((value) => value - xShift);
  const wValues = quantizedValues(w, wZero, context, 'w').map((value, index) => value - wShift.at(Math.floor(index / perChannel)));
  let biasValues: Float64Array | undefined;
  if (bias) {
    if (bias.dtype !== 'int32') throw dtypeError(context, `B must be int32, got ${bias.dtype}`);
    if (bias.shape.length !== 1 || bias.shape[0] !== setup.outChannels) throw shapeError(context, `B must be (${setup.outChannels})`);
    biasValues = toNumberArray(bias);
  }
  const accumulators = new Float64Array(shapeSize(setup.outputShape));
  convReference({ ...setup, x: xValues, w: wValues, bias: biasValues }, accumulators);
  return { setup, accumulators };
}

/** The fast path's zero points, or undefined when the problem needs the reference loop. */
function fastZeroPoints(inputs: IntegerConvInputs, setup: ConvSetup, context: KernelContext): { xZero: number; wZero: number } | undefined {
  const { x, w, xZero, wZero } = inputs;
  checkQuantized(x, xZero, context, 'x');
  checkQuantized(w, wZero, context, 'w');
  readParameter(wZero, setup.outChannels, context, 'w_zero_point');
  if (!fastConvApplies(setup, x, w) || (xZero && shapeSize(xZero.shape) !== 1)) return undefined;
  const xShift = uniformZeroPoint(xZero);
  const wShift = uniformZeroPoint(wZero);
  return xShift === undefined || wShift === undefined ? undefined : { xZero: xShift, wZero: wShift };
}

function fastConvInteger(x: TensorData, w: TensorData, inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData | undefined {
  const setup = convSetup(x.shape, w.shape, attrs, context);
  const zeros = fastZeroPoints({ x, w, xZero: inputs[2], wZero: inputs[3] }, setup, context);
  if (!zeros) return undefined;
  const out = new Int32Array(shapeSize(setup.outputShape));
  const positions = shapeSize(setup.outputShape.slice(2));
  integerConvChunks({ setup, x, w, ...zeros }, ({ accumulators, firstImage, images, imagesMajor }) => {
    // accumulators: (M, images·P) → out: (N, M, P); (images, M) is already out's layout
    if (imagesMajor) {
      out.set(accumulators, firstImage * setup.outChannels);
      return;
    }
    for (let channel = 0; channel < setup.outChannels; channel++) {
      for (let image = 0; image < images; image++) {
        const source = (channel * images + image) * positions;
        out.set(accumulators.subarray(source, source + positions), ((firstImage + image) * setup.outChannels + channel) * positions);
      }
    }
  });
  return tensorData('int32', setup.outputShape, out);
}

function convIntegerKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const fast = fastConvInteger(requireInput(inputs, 0, context), requireInput(inputs, 1, context), inputs, attrs, context);
  return fast ? [fast] : convIntegerReferenceKernel(inputs, attrs, context);
}

/** ConvInteger on the readable loop (the fast path's oracle). */
export function convIntegerReferenceKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const x = requireInput(inputs, 0, context);
  const w = requireInput(inputs, 1, context);
  const { setup, accumulators } = integerConv({ x, w, xZero: inputs[2], wZero: inputs[3] }, attrs, context);
  return [fromNumbers('int32', setup.outputShape, accumulators.map((value) => value | 0))];
}

function qlinearConvKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  for (let index = 0; index < 8; index++) requireInput(inputs, index, context);
  const fast = fastQLinearConv(inputs as readonly TensorData[], attrs, context);
  return fast ? [fast] : qlinearConvReferenceKernel(inputs, attrs, context);
}

/** QLinearConv on the readable loop (the fast path's oracle). */
export function qlinearConvReferenceKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero] = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => requireInput(inputs, index, context)) as TensorData[];
  const conv = integerConv({ x: x as TensorData, w: w as TensorData, xZero, wZero, bias: inputs[8] }, attrs, context);
  const { outChannels, outputShape } = conv.setup;
  const inScale = readParameter(xScale, 1, context, 'x_scale').at(0);
  const weightScales = readParameter(wScale, outChannels, context, 'w_scale');
  const outScale = readParameter(yScale, 1, context, 'y_scale').at(0);
  const outZero = readParameter(yZero, 1, context, 'y_zero_point').at(0);
  const round = scaleRounding((xScale as TensorData).dtype);
  const spatial = shapeSize(outputShape.slice(2));
  const out = conv.accumulators.map((value, index) => {
    const channel = Math.floor(index / spatial) % outChannels;
    const multiplier = round(round(inScale * weightScales.at(channel)) / outScale);
    return requantize(value * multiplier, outZero, (yZero as TensorData).dtype);
  });
  return [fromNumbers((yZero as TensorData).dtype, outputShape, out)];
}

/**
 * QLinearConv through the fast paths, per output channel requantized: the WebAssembly kernel
 * (qlinear-conv-wasm.ts), else chunked int32 accumulations of the im2col + int8 GEMM path.
 */
function fastQLinearConv(inputs: readonly TensorData[], attrs: Attributes, context: KernelContext): TensorData | undefined {
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero] = inputs as TensorData[];
  const bias = inputs[8];
  const setup = convSetup((x as TensorData).shape, (w as TensorData).shape, attrs, context);
  const applies = fastConvApplies(setup, x as TensorData, w as TensorData);
  checkQuantized(x as TensorData, xZero, context, 'x');
  checkQuantized(w as TensorData, wZero, context, 'w');
  readParameter(wZero, setup.outChannels, context, 'w_zero_point');
  if (!applies || (bias && (bias.dtype !== 'int32' || bias.shape.length !== 1 || bias.shape[0] !== setup.outChannels))) return undefined;
  const outScale = readParameter(yScale, 1, context, 'y_scale').at(0);
  const outZero = readParameter(yZero, 1, context, 'y_zero_point').at(0);
  const inScale = readParameter(xScale, 1, context, 'x_scale').at(0);
  const weightScales = readParameter(wScale, setup.outChannels, context, 'w_scale');
  const round = scaleRounding((xScale as TensorData).dtype);
  // multiplier = x_scale · w_scale[m] / y_scale, in the scales' precision (as the reference)
  const multipliers = Float64Array.from({ length: setup.outChannels }, (_, channel) => round(round(inScale * weightScales.at(channel)) / outScale));
  const outputDType = (yZero as TensorData).dtype;
  const wasm = qlinearConvWasm({ setup, x: x as TensorData, w: w as TensorData, xZero, wZero, bias, multipliers, yZero: outZero, outputDType });
  if (wasm) return wasm;
  const zeros = fastZeroPoints({ x: x as TensorData, w: w as TensorData, xZero, wZero }, setup, context);
  if (!zeros) return undefined;
  const biases = bias ? Float64Array.from(bias.data as Int32Array) : new Float64Array(setup.outChannels);
  const out = tensorData((yZero as TensorData).dtype, setup.outputShape);
  const positions = shapeSize(setup.outputShape.slice(2));
  integerConvChunks({ setup, x: x as TensorData, w: w as TensorData, ...zeros }, (chunk) => {
    requantizeChunk({ ...chunk, positions, channels: setup.outChannels, multipliers, biases, zeroPoint: outZero, out: out.data as Int8Array | Uint8Array });
  });
  return out;
}

export const INTEGER_CONV_KERNELS: readonly KernelDefinition[] = [
  { op: 'ConvInteger', dtypes: INT8_DTYPES, kernel: convIntegerKernel },
  { op: 'QLinearConv', dtypes: INT8_DTYPES, kernel: qlinearConvKernel },
];
