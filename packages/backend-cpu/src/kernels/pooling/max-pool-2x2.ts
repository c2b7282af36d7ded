// Fast path of MaxPool / MaxPoolGrad for the common 2×2 window, stride 2, no padding, no
// dilation case on float32, uint8 or int8 (N, C, H, W) whose windows all lie inside X (8-bit
// tensors are the quantized graphs' activations). Same rule as the general
// loop (maxPoolArgmax): windows scanned row-major, a later element wins only if strictly greater,
// so ties (and NaN) keep the first element.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html
import type { PoolSetup } from './pool-setup.js';

/** Element arrays the 2×2 path reads and writes (values has x's type). */
export type PoolArray = Float32Array | Uint8Array | Int8Array;

/** True when `setup` is a 2-D 2×2/stride-2 pool without padding whose windows all fit in X. */
export function isMaxPool2x2(setup: PoolSetup): boolean {
  const { inputSize, kernelSize, strides, dilations, padsBegin, outputSize } = setup.lifted;
  return (
    setup.geometry.inputSize.length === 2 &&
    kernelSize[1] === 2 && kernelSize[2] === 2 &&
    strides[1] === 2 && strides[2] === 2 &&
    dilations[1] === 1 && dilations[2] === 1 &&
    padsBegin[1] === 0 && padsBegin[2] === 0 &&
    outputSize[1] * 2 <= inputSize[1] && outputSize[2] * 2 <= inputSize[2]
  );
}

/** For every output o: values[o] = window max, sources[o] = flat index into x of its first maximum. */
function scanWindows(setup: PoolSetup, x: PoolArray, values: PoolArray, sources: Int32Array): void {
  // x: (planes, H, W) → values, sources: (planes, H/2, W/2)
  const [, inH, inW] = setup.lifted.inputSize;
  const [, outH, outW] = setup.lifted.outputSize;
  let target = 0;
  for (let plane = 0; plane < setup.planes; plane++) {
    const planeBase = plane * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const top = planeBase + 2 * oh * inW;
      const bottom = top + inW;
      for (let ow = 0; ow < outW; ow++, target++) {
        const column = 2 * ow;
        // Branch-free "move to candidate if strictly greater" (random data defeats branch prediction).
        let source = top + column;
        let best = x[source] as number;
        let candidate = top + column + 1;
        source += Number((x[candidate] as number) > best) * (candidate - source);
        best = x[source] as number;
        candidate = bottom + column;
        source += Number((x[candidate] as number) > best) * (candidate - source);
        best = x[source] as number;
        candidate = bottom + column + 1;
        source += Number((x[candidate] as number) > best) * (candidate - source);
        values[target] = x[source] as number;
        sources[target] = source;
      }
    }
  }
}

/** y[o] = window max; argmax[o] = within-plane row-major index of the first maximum. */
export function maxPool2x2(setup: PoolSetup, x: PoolArray, values: PoolArray, argmax: Int32Array): void {
  scanWindows(setup, x, values, argmax);
  const inPlane = setup.lifted.inputSize[1] * setup.lifted.inputSize[2];
  for (let index = 0; index < argmax.length; index++) argmax[index] = (argmax[index] as number) % inPlane;
}

/**
 * y[o] = window max of 8-bit X when no Indices output is asked for (the quantized graphs' pools):
 * no argmax bookkeeping, and integers have no NaN, so any maximum is the first one's value.
 */
export function maxPool2x2Bytes(setup: PoolSetup, x: Uint8Array | Int8Array, values: Uint8Array | Int8Array): void {
  // x: (planes, H, W) → values: (planes, H/2, W/2)
  const [, inH, inW] = setup.lifted.inputSize;
  const [, outH, outW] = setup.lifted.outputSize;
  let target = 0;
  for (let plane = 0; plane < setup.planes; plane++) {
    const planeBase = plane * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      let top = planeBase + 2 * oh * inW;
      let bottom = top + inW;
      for (let ow = 0; ow < outW; ow++, target++, top += 2, bottom += 2) {
        const topLeft = x[top] as number;
        const topRight = x[top + 1] as number;
        const bottomLeft = x[bottom] as number;
        const bottomRight = x[bottom + 1] as number;
        const upper = topLeft > topRight ? topLeft : topRight;
        const lower = bottomLeft > bottomRight ? bottomLeft : bottomRight;
        values[target] = upper > lower ? upper : lower;
      }
    }
  }
}

