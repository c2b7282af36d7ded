// QLinearConv on the WebAssembly quantized convolution (src/wasm/int8-conv.ts): maps the kernel's
// tensors (1-D / 2-D, group 1, per-tensor x zero point, per-tensor or per-channel w zero point)
// onto the kernel's problem. Returns undefined when the problem is outside that kernel's range;
// integer-conv.ts then runs the im2col + int8 GEMM path or the reference loop (the oracle).
// reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html
import { type DType, type TensorData, shapeSize, tensorData } from '@efficientdl/ir';
import { type ConvSetup, toConv2dShape } from '../convolution/conv-setup.js';
import { wasmQLinearConv } from '../../wasm/int8-conv.js';

export interface WasmQLinearConvInputs {
  readonly setup: ConvSetup;
  readonly x: TensorData;
  readonly w: TensorData;
  readonly xZero?: TensorData;
  readonly wZero?: TensorData;
  readonly bias?: TensorData;
  /** x_scale · w_scale[m] / y_scale per output channel. */
  readonly multipliers: Float64Array;
  readonly yZero: number;
  readonly outputDType: DType;
}

const isBytes = (data: unknown): data is Int8Array | Uint8Array => data instanceof Int8Array || data instanceof Uint8Array;

/** y: (N, M, O1, …) from the WebAssembly kernel, or undefined. */
export function qlinearConvWasm(inputs: WasmQLinearConvInputs): TensorData | undefined {
  const { setup, x, w, xZero, wZero, bias } = inputs;
  const rank = setup.geometry.inputSize.length;
  if ((rank !== 1 && rank !== 2) || setup.group !== 1 || !isBytes(x.data) || !isBytes(w.data)) return undefined;
  if ((xZero && shapeSize(xZero.shape) !== 1) || (inputs.outputDType !== 'uint8' && inputs.outputDType !== 'int8')) return undefined;
  if (bias && !(bias.data instanceof Int32Array)) return undefined;
  const out = wasmQLinearConv({
    shape: toConv2dShape(setup),
    x: x.data,
    w: w.data,
    xZero: xZero ? (xZero.data[0] as number) : 0,
    wZeros: wZero ? (wZero.data as Int8Array | Uint8Array) : [0],
    bias: bias?.data as Int32Array | undefined,
    multipliers: inputs.multipliers,
    yZero: inputs.yZero,
    outSigned: inputs.outputDType === 'int8',
  });
  return out ? tensorData(inputs.outputDType, setup.outputShape, out) : undefined;
}
