// Host side of the im2col job (assembly/im2col-f32.ts): rows of the column matrix of padded planes
// already in the memory, split between the threads. With a 1 × 1 kernel it gathers channel planes
// (N, C, P) → (C, N·P), or, reading (C, N, P) as C images of N planes, scatters them back.
import type { ImageChunk } from '../fast/conv-batching.js';
import * as im from './im2col-layout.js';
import { WORD_KIND } from './job-layout.js';
import type { PaddedPlanes } from './operand-space.js';
import { slotAddress } from './thread-pool.js';
import type { WasmRuntime } from './wasm-runtime.js';

/** Floats an im2col job must write before a second thread helps. */
const IM2COL_MIN_FLOATS_PER_THREAD = 1 << 17;

/** What an im2col job reads: padded planes at `input` (byte address), `inChannels` per image. */
export interface Im2colSource {
  readonly input: number;
  readonly padded: PaddedPlanes;
  readonly inChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly out: readonly [number, number];
}

/** cols (rows × chunk.count·oH·oW) at `output` (byte address) for the chunk's images; rows split between threads. */
export function im2col(runtime: WasmRuntime, source: Im2colSource, target: { output: number; rows: number; chunk: ImageChunk }): void {
  const { rows, chunk } = target;
  const plane = source.out[0] * source.out[1];
  const ld = chunk.count * plane;
  const parts = Math.max(1, Math.min(runtime.threads, rows, Math.floor((rows * ld) / IM2COL_MIN_FLOATS_PER_THREAD)));
  const words = runtime.views().i32;
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const first = Math.floor((part * rows) / parts);
    words[slot + WORD_KIND] = im.JOB_IM2COL;
    words[slot + im.WORD_INPUT] = source.input;
    words[slot + im.WORD_IN_ROW] = source.padded.width;
    words[slot + im.WORD_IN_PLANE] = source.padded.height * source.padded.width;
    words[slot + im.WORD_IN_CHANNELS] = source.inChannels;
    words[slot + im.WORD_OUTPUT] = target.output;
    words[slot + im.WORD_LD] = ld;
    words[slot + im.WORD_ROW0] = first;
    words[slot + im.WORD_ROWS] = Math.floor(((part + 1) * rows) / parts) - first;
    words[slot + im.WORD_IMAGE0] = chunk.first;
    words[slot + im.WORD_IMAGES] = chunk.count;
    words[slot + im.WORD_OUT_H] = source.out[0];
    words[slot + im.WORD_OUT_W] = source.out[1];
    words[slot + im.WORD_STRIDE_H] = source.stride[0];
    words[slot + im.WORD_STRIDE_W] = source.stride[1];
    words[slot + im.WORD_DILATION_H] = source.dilation[0];
    words[slot + im.WORD_DILATION_W] = source.dilation[1];
    words[slot + im.WORD_KERNEL_H] = source.kernel[0];
    words[slot + im.WORD_KERNEL_W] = source.kernel[1];
  }
  runtime.runParallel(parts);
}

