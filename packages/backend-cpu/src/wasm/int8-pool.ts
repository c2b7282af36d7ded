// Host side of the WebAssembly 2 × 2 / stride-2 max pool of 8-bit planes (assembly/pool-int8.ts):
// copies X into the WebAssembly memory, runs one job on the calling thread (the pool is memory
// bound: a worker's wake-up would cost more than it saves) and copies Y out. Returns undefined
// when the runtime is unavailable or the tensor is small (the TypeScript loop is as fast there).
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html
import * as layout from './int8-conv-layout.js';
import { WORD_KIND } from './job-layout.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime } from './wasm-runtime.js';

export interface BytePoolProblem {
  /** x: (planes, inH, inW) */
  readonly x: Uint8Array | Int8Array;
  readonly planes: number;
  readonly inHeight: number;
  readonly inWidth: number;
  /** outHeight · 2 ≤ inHeight, outWidth · 2 ≤ inWidth */
  readonly outHeight: number;
  readonly outWidth: number;
}

/** Below this many input bytes the TypeScript loop is used (copy-in overhead dominates). */
const MIN_BYTES = 16384;

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** y: (planes, outH, outW) window maxima, or undefined. */
export function wasmMaxPool2x2Bytes(problem: BytePoolProblem): Uint8Array | Int8Array | undefined {
  const { x, planes, inHeight, inWidth, outHeight, outWidth } = problem;
  if (x.length < MIN_BYTES || outHeight * 2 > inHeight || outWidth * 2 > inWidth || outWidth < 1 || outHeight < 1) return undefined;
  const runtime = getWasmRuntime();
  if (!runtime) return undefined;
  const outputBytes = planes * outHeight * outWidth;
  let input: number;
  try {
    input = runtime.reserveOperands(align16(x.length) + align16(outputBytes));
  } catch {
    return undefined;
  }
  const output = input + align16(x.length);
  const views = runtime.views();
  const signed = x instanceof Int8Array;
  if (signed) views.i8.set(x, input);
  else views.u8.set(x, input);
  const slot = slotAddress(0) / 4;
  const words = views.i32;
  words[slot + WORD_KIND] = layout.JOB_INT8_MAX_POOL;
  words[slot + layout.WORD_POOL_INPUT] = input;
  words[slot + layout.WORD_POOL_OUTPUT] = output;
  words[slot + layout.WORD_POOL_PLANE0] = 0;
  words[slot + layout.WORD_POOL_PLANES] = planes;
  words[slot + layout.WORD_POOL_IN_H] = inHeight;
  words[slot + layout.WORD_POOL_IN_W] = inWidth;
  words[slot + layout.WORD_POOL_OUT_H] = outHeight;
  words[slot + layout.WORD_POOL_OUT_W] = outWidth;
  words[slot + layout.WORD_POOL_SIGNED] = signed ? 1 : 0;
  words[slot + layout.WORD_POOL_DONE] = 0;
  runtime.runJob(slotAddress(0));
  // a module built before this job existed ignores it: fall back instead of returning garbage
  if (runtime.views().i32[slot + layout.WORD_POOL_DONE] !== 1) return undefined;
  return signed ? views.i8.slice(output, output + outputBytes) : views.u8.slice(output, output + outputBytes);
}
