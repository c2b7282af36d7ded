// ConvInteger(x, w, x_zero_point?, w_zero_point?) → int32 conv of (x − x_zp) and (w − w_zp), and
// QLinearConv, which adds the int32 bias and requantizes: y = saturate(round_half_even((acc + B) ·
// x_scale · w_scale[m] / y_scale) + y_zero_point). w's zero point / scale may be per output channel.
// Runs the readable reference convolution on exact integers held in float64.
// reference: https://onnx.ai/onnx/operators/onnx__ConvInteger.html, https://onnx.ai/onnx/operators/onnx__QLinearConv.html
import { type Attributes, type TensorData, fromNumbers, shapeSize, toNumberArray } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { convReference } from '../convolution/conv-reference.js';
import { type ConvSetup, convSetup } from '../convolution/conv-setup.js';
import { dtypeError, requireInput, shapeError } from '../elementwise/kernel-support.js';
import { INT8_DTYPES, quantizedValues, readParameter, requantize, scaleRounding } from './integer-parameters.js';

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

function convIntegerKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const x = requireInput(inputs, 0, context);
  const w = requireInput(inputs, 1, context);
  const { setup, accumulators } = integerConv({ x, w, xZero: inputs[2], wZero: inputs[3] }, attrs, context);
  return [fromNumbers('int32', setup.outputShape, accumulators.map((value) => value | 0))];
}

function qlinearConvKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
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

export const INTEGER_CONV_KERNELS: readonly KernelDefinition[] = [
  { op: 'ConvInteger', dtypes: INT8_DTYPES, kernel: convIntegerKernel },
  { op: 'QLinearConv', dtypes: INT8_DTYPES, kernel: qlinearConvKernel },
];
