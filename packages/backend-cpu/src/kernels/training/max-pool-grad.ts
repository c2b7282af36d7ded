// MaxPoolGrad (ai.efficientdl): routes each dY element to the first maximum of its window in X
// (PyTorch's rule; padding never wins), accumulating where windows overlap. The 2×2 / stride-2
// case runs on the WebAssembly SIMD job (src/wasm/wasm-elementwise-train.ts) for large X, else
// on the one-pass loop of max-pool-2x2-grad.ts; the general window loop is the oracle.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html (the forward op)
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, requireInput } from '../linear/kernel-helpers.js';
import { maxPoolArgmax } from '../pooling/max-pool.js';
import { isMaxPool2x2 } from '../pooling/max-pool-2x2.js';
import { poolSetup } from '../pooling/pool-setup.js';
import { wasmMaxPool2x2Grad } from '../../wasm/wasm-elementwise-train.js';
import { maxPool2x2GradFused } from './max-pool-2x2-grad.js';
import { float32Data, requireGradientShape } from './training-helpers.js';

/** Elements of X from which the 2 × 2 case runs on the WebAssembly job (copies included). */
const WASM_MIN_ELEMENTS = 16384;

export function maxPoolGradKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …), dy: (N, C, O1, …) → dx: (N, C, D1, …)
  const x = requireInput(inputs, 0, context, 'X');
  const dy = requireInput(inputs, 1, context, 'dY');
  const xData = float32Data(x, context, 'X');
  const dyData = float32Data(dy, context, 'dY');
  const setup = poolSetup(x.shape, attrs, context);
  requireGradientShape(dy, setup.outputShape, context);
  if (isMaxPool2x2(setup)) {
    const { tensor, data } = createFloatTensor('float32', x.shape);
    const [, height, width] = setup.lifted.inputSize;
    const geometry = { planes: setup.planes, height, width };
    if (xData.length < WASM_MIN_ELEMENTS || !wasmMaxPool2x2Grad(geometry, xData, dyData, data as Float32Array)) maxPool2x2GradFused(setup, xData, dyData, data as Float32Array);
    return [tensor];
  }
  const argmax = new Int32Array(dyData.length);
  maxPoolArgmax(setup, xData, new Float32Array(dyData.length), argmax);
  const { tensor, data: dx } = createFloatTensor('float32', x.shape);
  const inPlane = xData.length / Math.max(setup.planes, 1);
  const outPlane = dyData.length / Math.max(setup.planes, 1);
  for (let index = 0; index < argmax.length; index++) {
    const position = argmax[index] as number;
    if (position < 0) continue;
    const target = Math.floor(index / outPlane) * inPlane + position;
    dx[target] = (dx[target] as number) + (dyData[index] as number);
  }
  return [tensor];
}
