// Placement copies in WebAssembly: a dense (height, width) float32 plane into a zero plane at
// (top + r · strideH, left + c · strideW), positions outside the target dropped — the zero padding
// (stride 1) and the zero-dilated dY of a strided convolution's input gradient. placePlane is also
// called by the depthwise jobs on their scratch; the job form fills planes of the memory (slot words:
// depthwise-train-layout.ts WORD_PLACE_*).
import * as dw from './depthwise-train-layout';

function word(address: usize, index: i32): i32 {
  return load<i32>(address + (<usize>index << 2));
}

/**
 * target (targetFloats floats, rows of targetWidth) = zeros, then source[r, c] at
 * (top + r·strideH, left + c·strideW) for the positions inside (targetHeight, targetWidth).
 */
export function placePlane(
  source: usize, height: i32, width: i32,
  target: usize, targetHeight: i32, targetWidth: i32, targetFloats: i32,
  top: i32, left: i32, strideH: i32, strideW: i32,
): void {
  // small planes: v128 stores beat memory.fill's call into the engine
  const zero = f32x4.splat(0);
  const bytes = <usize>targetFloats << 2;
  let at: usize = 0;
  for (; at + 64 <= bytes; at += 64) {
    v128.store(target + at, zero);
    v128.store(target + at, zero, 16);
    v128.store(target + at, zero, 32);
    v128.store(target + at, zero, 48);
  }
  for (; at + 16 <= bytes; at += 16) v128.store(target + at, zero);
  for (; at < bytes; at += 4) store<f32>(target + at, 0);
  // source columns [first, end) land inside the target row
  let first = 0;
  while (first < width && left + first * strideW < 0) first++;
  let end = width;
  while (end > first && left + (end - 1) * strideW >= targetWidth) end--;
  if (end <= first) return;
  const count = end - first;
  for (let row = 0; row < height; row++) {
    const targetRow = top + row * strideH;
    if (targetRow < 0 || targetRow >= targetHeight) continue;
    const from = source + ((<usize>(row * width + first)) << 2);
    const to = target + ((<usize>targetRow * targetWidth + <usize>(left + first * strideW)) << 2);
    if (strideW === 1) {
      let i = 0;
      for (; i + 4 <= count; i += 4) v128.store(to + (<usize>i << 2), v128.load(from + (<usize>i << 2)));
      for (; i < count; i++) store<f32>(to + (<usize>i << 2), load<f32>(from + (<usize>i << 2)));
      continue;
    }
    const step = <usize>strideW << 2;
    for (let i = 0; i < count; i++) store<f32>(to + <usize>i * step, load<f32>(from + (<usize>i << 2)));
  }
}

/** The placement job: planes [plane0, plane0 + planes) of the slot's source into its target. */
export function placeJob(slot: usize): void {
  const source = <usize>word(slot, dw.WORD_PLACE_SOURCE);
  const target = <usize>word(slot, dw.WORD_PLACE_TARGET);
  const plane0 = word(slot, dw.WORD_PLACE_PLANE0);
  const planes = word(slot, dw.WORD_PLACE_PLANES);
  const height = word(slot, dw.WORD_PLACE_HEIGHT);
  const width = word(slot, dw.WORD_PLACE_WIDTH);
  const targetHeight = word(slot, dw.WORD_PLACE_TARGET_HEIGHT);
  const targetWidth = word(slot, dw.WORD_PLACE_TARGET_WIDTH);
  const sourcePlane = <usize>height * width;
  const targetPlane = targetHeight * targetWidth;
  for (let plane = plane0; plane < plane0 + planes; plane++) {
    placePlane(
      source + ((<usize>plane * sourcePlane) << 2), height, width,
      target + ((<usize>plane * targetPlane) << 2), targetHeight, targetWidth, targetPlane,
      word(slot, dw.WORD_PLACE_TOP), word(slot, dw.WORD_PLACE_LEFT), word(slot, dw.WORD_PLACE_STRIDE_H), word(slot, dw.WORD_PLACE_STRIDE_W),
    );
  }
}
