// im2col over a zero-padded float32 input in WebAssembly (slot words: im2col-layout.ts): each
// output row segment is a run of oW inputs, copied with v128 moves or memory.copy (stride 1; a
// whole plane at once when the input rows are exactly oW wide, as for a 1 × 1 kernel) or gathered.
// Used by the convolution weight gradient (src/wasm/wasm-conv-grad-weight.ts), which multiplies
// the columns with the WebAssembly GEMM without leaving the memory.
import * as im from './im2col-layout';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isIm2colJob(kind: i32): bool {
  return kind === im.JOB_IM2COL;
}

/** Floats from which a contiguous run is copied by memory.copy (its call costs more than a short loop). */
const BULK_FLOATS = 64;

/** Copies `count` floats from `source` (element step `step`) to `target`. */
function copyRun(source: usize, target: usize, count: i32, step: i32): void {
  let i = 0;
  if (step === 1 && count >= BULK_FLOATS) {
    memory.copy(target, source, <usize>count << 2);
    return;
  }
  if (step === 1) {
    for (; i + 4 <= count; i += 4) v128.store(target + (<usize>i << 2), v128.load(source + (<usize>i << 2)));
    for (; i < count; i++) store<f32>(target + (<usize>i << 2), load<f32>(source + (<usize>i << 2)));
    return;
  }
  const bytes = <usize>step << 2;
  for (; i < count; i++) store<f32>(target + (<usize>i << 2), load<f32>(source + <usize>i * bytes));
}

export function runIm2colJob(slot: usize): void {
  const input = <usize>word(slot, im.WORD_INPUT);
  const inRow = <usize>word(slot, im.WORD_IN_ROW);
  const inPlane = <usize>word(slot, im.WORD_IN_PLANE);
  const inChannels = <usize>word(slot, im.WORD_IN_CHANNELS);
  const output = <usize>word(slot, im.WORD_OUTPUT);
  const ld = <usize>word(slot, im.WORD_LD);
  const row0 = word(slot, im.WORD_ROW0);
  const rows = word(slot, im.WORD_ROWS);
  const image0 = word(slot, im.WORD_IMAGE0);
  const images = word(slot, im.WORD_IMAGES);
  const outH = word(slot, im.WORD_OUT_H);
  const outW = word(slot, im.WORD_OUT_W);
  const strideH = <usize>word(slot, im.WORD_STRIDE_H);
  const strideW = word(slot, im.WORD_STRIDE_W);
  const dilationH = <usize>word(slot, im.WORD_DILATION_H);
  const dilationW = <usize>word(slot, im.WORD_DILATION_W);
  const kernelH = word(slot, im.WORD_KERNEL_H);
  const kernelW = word(slot, im.WORD_KERNEL_W);
  const taps = kernelH * kernelW;
  const plane = <usize>(outH * outW) << 2;
  const whole = strideW === 1 && strideH === 1 && inRow === <usize>outW;
  for (let row = row0; row < row0 + rows; row++) {
    const channel = <usize>(row / taps);
    const kh = <usize>((row % taps) / kernelW);
    const kw = <usize>((row % taps) % kernelW);
    let target = output + ((<usize>row * ld) << 2);
    for (let image = image0; image < image0 + images; image++) {
      let source = input + (((<usize>image * inChannels + channel) * inPlane + kh * dilationH * inRow + kw * dilationW) << 2);
      if (whole) {
        // the window rows are contiguous in the input (stride 1, rows exactly oW wide): one run
        copyRun(source, target, outH * outW, 1);
        target += plane;
        continue;
      }
      for (let oh = 0; oh < outH; oh++) {
        copyRun(source, target, outW, strideW);
        source += (strideH * inRow) << 2;
        target += <usize>outW << 2;
      }
    }
  }
}
