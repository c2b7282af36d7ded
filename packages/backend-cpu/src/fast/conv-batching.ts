// Batching for the im2col/GEMM convolution: how many images share one GEMM (bounded by a
// memory budget for the column matrices), the reused scratch buffers, and the copies between
// per-image layout (N, M, oH·oW) and the batched GEMM layout (M, images·oH·oW).
// The chunking depends only on the shape and the budget (never on the thread count), so results
// are deterministic.
import { copyRun } from './im2col.js';

/** Default scratch budget in float32 elements for one chunk (columns + GEMM output): 32 MB. */
export const DEFAULT_MAX_SCRATCH_FLOATS = 8 * 1024 * 1024;

export interface Conv2dOptions {
  /** Scratch budget in float32 elements per chunk of images (default 8 Mi = 32 MB). */
  readonly maxScratchFloats?: number;
}

/** A run of images [first, first + count) handled by one GEMM per group. */
export interface ImageChunk {
  readonly first: number;
  readonly count: number;
}

/** Splits the batch into near-equal chunks whose scratch (floatsPerImage each) fits the budget. */
export function planChunks(options: { batch: number; floatsPerImage: number; budget?: number }): ImageChunk[] {
  const { batch, floatsPerImage } = options;
  const budget = options.budget ?? DEFAULT_MAX_SCRATCH_FLOATS;
  const fitting = Math.max(1, Math.floor(budget / Math.max(1, floatsPerImage)));
  const chunkCount = Math.max(1, Math.ceil(batch / fitting));
  const chunks: ImageChunk[] = [];
  for (let index = 0; index < chunkCount; index++) {
    const first = Math.floor((index * batch) / chunkCount);
    const end = Math.floor(((index + 1) * batch) / chunkCount);
    if (end > first) chunks.push({ first, count: end - first });
  }
  return chunks;
}

// Reused scratch (grown on demand): JS is single-threaded and the conv functions are not re-entrant.
let columnBuffer = new Float32Array(0);
let channelBuffer = new Float32Array(0);

/** Scratch for the column matrix (C·kH·kW, images·oH·oW). */
export function columnScratch(length: number): Float32Array {
  if (columnBuffer.length < length) columnBuffer = new Float32Array(length);
  return columnBuffer;
}

/** Scratch for a batched GEMM output / gathered gradient (M, images·oH·oW). */
export function channelScratch(length: number): Float32Array {
  if (channelBuffer.length < length) channelBuffer = new Float32Array(length);
  return channelBuffer;
}

/** Channels [channel0, channel0 + channels) of images in `chunk` of a (N, totalChannels, plane) tensor. */
export interface ChannelBlock {
  readonly tensor: Float32Array;
  readonly totalChannels: number;
  readonly channel0: number;
  readonly channels: number;
  readonly plane: number;
  readonly chunk: ImageChunk;
}

/** batched: (channels, count·plane) ← tensor[first..first+count, channel0.., :]. */
export function gatherChannels(block: ChannelBlock, batched: Float32Array): void {
  const { tensor, totalChannels, channel0, channels, plane, chunk } = block;
  const ld = chunk.count * plane;
  for (let image = 0; image < chunk.count; image++) {
    const imageBase = ((chunk.first + image) * totalChannels + channel0) * plane;
    for (let channel = 0; channel < channels; channel++) {
      copyRun(tensor, imageBase + channel * plane, batched, channel * ld + image * plane, plane);
    }
  }
}

/** tensor[first..first+count, channel0.., :] ← batched: (channels, count·plane) + bias[channel0 + c]. */
export function scatterChannels(block: ChannelBlock, batched: Float32Array, bias: Float32Array | undefined): void {
  const { tensor, totalChannels, channel0, channels, plane, chunk } = block;
  const ld = chunk.count * plane;
  for (let image = 0; image < chunk.count; image++) {
    const imageBase = ((chunk.first + image) * totalChannels + channel0) * plane;
    for (let channel = 0; channel < channels; channel++) {
      const target = imageBase + channel * plane;
      const source = channel * ld + image * plane;
      if (!bias) {
        copyRun(batched, source, tensor, target, plane);
        continue;
      }
      const value = bias[channel0 + channel] as number;
      for (let index = 0; index < plane; index++) tensor[target + index] = (batched[source + index] as number) + value;
    }
  }
}
