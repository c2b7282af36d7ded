// ReluGrad (ai.efficientdl): the gradient of Relu in one float32 pass, dX = X > 0 ? dY : 0
// (the same values as Where(Greater(X, 0), dY, 0), without the bool mask and the broadcast Where).
// Large tensors run on the WebAssembly SIMD job (src/wasm/wasm-elementwise-train.ts, the same bits).
// reference: https://onnx.ai/onnx/operators/onnx__Relu.html (the forward op)
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { requireInput } from '../linear/kernel-helpers.js';
import { wasmReluGrad } from '../../wasm/wasm-elementwise-train.js';
import { float32Data, requireGradientShape } from './training-helpers.js';

/** Elements from which the WebAssembly job (copies included) beats the loop below. */
const WASM_MIN_ELEMENTS = 16384;

export function reluGradKernel(inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext): TensorData[] {
  // dy, x: (any shape, equal) → dx: x's shape
  const dy = requireInput(inputs, 0, context, 'dY');
  const x = requireInput(inputs, 1, context, 'X');
  const dyData = float32Data(dy, context, 'dY');
  const xData = float32Data(x, context, 'X');
  requireGradientShape(dy, x.shape, context);
  const dx = new Float32Array(xData.length);
  if (xData.length >= WASM_MIN_ELEMENTS && wasmReluGrad(dyData, xData, dx)) return [{ dtype: 'float32', shape: [...x.shape], data: dx }];
  // Branch-free: the bits of dY ANDed with all ones where X > 0, with 0 elsewhere (+0 exactly).
  const dyBits = new Int32Array(dyData.buffer, dyData.byteOffset, dyData.length);
  const dxBits = new Int32Array(dx.buffer);
  for (let index = 0; index < xData.length; index++) {
    dxBits[index] = (dyBits[index] as number) & -Number((xData[index] as number) > 0);
  }
  return [{ dtype: 'float32', shape: [...x.shape], data: dx }];
}
