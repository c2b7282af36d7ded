// MaxPool: max over each (dilated, strided, padded) window — padding never wins — with the
// optional int64 Indices output (flat index into X, row-major or column-major spatial part
// per storage_order). Ties keep the first maximum. 1-D to 3-D, lifted to (D, H, W) loops; the
// 2×2 / stride 2 case runs max-pool-2x2.ts (float32 and 8-bit), 8-bit without Indices values only
// (the WebAssembly kernel of wasm/int8-pool.ts when it takes the tensor).
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html
import { type Attributes, DTypeError, type TensorData, tensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { intAttribute, requireInput } from '../linear/kernel-helpers.js';
import { type PoolArray, isMaxPool2x2, maxPool2x2, maxPool2x2Bytes } from './max-pool-2x2.js';
import { type PoolSetup, poolSetup } from './pool-setup.js';
import { wasmMaxPool2x2Bytes } from '../../wasm/int8-pool.js';
import { wasmMaxPool2x2 } from '../../wasm/wasm-elementwise-train.js';

const MAX_POOL_DTYPES = new Set(['float32', 'float64', 'int8', 'uint8']);

/**
 * For each output element: the max value and the within-plane row-major spatial index of the
 * first maximum (-1 if the window holds no input element).
 */
export function maxPoolArgmax(setup: PoolSetup, x: ArrayLike<number>, values: { [index: number]: number }, argmax: Int32Array): void {
  const { inputSize, kernelSize, strides, dilations, padsBegin, outputSize } = setup.lifted;
  const [inD, inH, inW] = inputSize;
  const inPlane = inD * inH * inW;
  let target = 0;
  for (let plane = 0; plane < setup.planes; plane++) {
    const base = plane * inPlane;
    for (let od = 0; od < outputSize[0]; od++) {
      for (let oh = 0; oh < outputSize[1]; oh++) {
        for (let ow = 0; ow < outputSize[2]; ow++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestIndex = -1;
          for (let kd = 0; kd < kernelSize[0]; kd++) {
            const id = od * strides[0] - padsBegin[0] + kd * dilations[0];
            if (id < 0 || id >= inD) continue;
            for (let kh = 0; kh < kernelSize[1]; kh++) {
              const ih = oh * strides[1] - padsBegin[1] + kh * dilations[1];
              if (ih < 0 || ih >= inH) continue;
              for (let kw = 0; kw < kernelSize[2]; kw++) {
                const iw = ow * strides[2] - padsBegin[2] + kw * dilations[2];
                if (iw < 0 || iw >= inW) continue;
                const index = (id * inH + ih) * inW + iw;
                const value = x[base + index] as number;
                if (value > best || bestIndex < 0) {
                  best = value;
                  bestIndex = index;
                }
              }
            }
          }
          values[target] = best;
          argmax[target++] = bestIndex;
        }
      }
    }
  }
}

/** Converts a within-plane row-major index to ONNX's Indices value for storage_order. */
function onnxIndex(setup: PoolSetup, plane: number, index: number, columnMajor: boolean): number {
  const [inD, inH, inW] = setup.lifted.inputSize;
  const inPlane = inD * inH * inW;
  if (!columnMajor) return plane * inPlane + index;
  // column-major spatial part: the first spatial axis varies fastest.
  const w = index % inW;
  const h = Math.floor(index / inW) % inH;
  const d = Math.floor(index / (inW * inH));
  const rank = setup.geometry.inputSize.length;
  const spatial = rank === 1 ? w : rank === 2 ? h + w * inH : d + h * inD + w * inD * inH;
  return plane * inPlane + spatial;
}

/** Values-only 2×2 pool of 8-bit X: the WebAssembly kernel when it takes the problem, else the TypeScript loop. */
function maxPool2x2BytesTensor(setup: PoolSetup, x: TensorData): TensorData {
  const [, inHeight, inWidth] = setup.lifted.inputSize;
  const [, outHeight, outWidth] = setup.lifted.outputSize;
  const values = x.data as Uint8Array | Int8Array;
  const wasm = wasmMaxPool2x2Bytes({ x: values, planes: setup.planes, inHeight, inWidth, outHeight, outWidth });
  if (wasm) return tensorData(x.dtype, setup.outputShape, wasm);
  const y = tensorData(x.dtype, setup.outputShape);
  maxPool2x2Bytes(setup, values, y.data as Uint8Array | Int8Array);
  return y;
}

export function maxPoolKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …) → y: (N, C, O1, …), indices: (N, C, O1, …) int64
  const x = requireInput(inputs, 0, context, 'X');
  if (!MAX_POOL_DTYPES.has(x.dtype)) {
    throw new DTypeError(`${context.op} (node '${context.node}'): X must be float32/float64/int8/uint8, got ${x.dtype}`, { op: context.op, node: context.node });
  }
  const setup = poolSetup(x.shape, attrs, context);
  const bytes = x.dtype === 'uint8' || x.dtype === 'int8';
  if (bytes && context.outputCount < 2 && isMaxPool2x2(setup)) return [maxPool2x2BytesTensor(setup, x)];
  const y = tensorData(x.dtype, setup.outputShape);
  if (x.dtype === 'float32' && context.outputCount < 2 && isMaxPool2x2(setup)) {
    const [height, width] = setup.geometry.inputSize as [number, number];
    if (wasmMaxPool2x2({ planes: setup.planes, height, width }, x.data as Float32Array, y.data as Float32Array)) return [y];
  }
  const argmax = new Int32Array(y.data.length);
  const fastDType = x.dtype === 'float32' || x.dtype === 'uint8' || x.dtype === 'int8';
  if (fastDType && isMaxPool2x2(setup)) maxPool2x2(setup, x.data as PoolArray, y.data as PoolArray, argmax);
  else maxPoolArgmax(setup, x.data as Float32Array, y.data as Float32Array, argmax);
  if (context.outputCount < 2) return [y];
  const indices = tensorData('int64', setup.outputShape);
  const columnMajor = intAttribute(attrs, 'storage_order', 0) !== 0;
  const outPlane = argmax.length / Math.max(setup.planes, 1);
  for (let index = 0; index < argmax.length; index++) {
    const plane = Math.floor(index / outPlane);
    (indices.data as BigInt64Array)[index] = BigInt(onnxIndex(setup, plane, argmax[index] as number, columnMajor));
  }
  return [y, indices];
}
