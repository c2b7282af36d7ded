// Float32 depthwise convolution for training in WebAssembly SIMD (descriptor:
// depthwise-train-layout.ts), computed directly on a zero-padded copy of each source plane that
// the job makes in its own scratch (L1-resident, and no padded tensor in the memory):
//  - direct: y[n, m] = Σ_taps w[m, kh, kw] · in[n, m / multiplier] at (oh·sH + kh·dH, ow·sW + kw·dW)
//    (+ bias). Blocks of four f32x4 accumulators cover 1 row × 16, 2 rows × 8 or 4 rows × 4
//    outputs, whichever wastes the fewest lanes on the plane's width (small planes are common);
//    more accumulators are slower on V8 (x64), whose SIMD code then runs out of registers. The host runs the input gradient through it
//    as a stride-1 convolution of the padded dY with the flipped kernel, for a strided convolution
//    once per output phase (a sub-kernel; the outputs written D_OUT_STEP apart) or, with
//    dilations, on the zero-dilated dY (the placement's strides dilate it).
//  - weight gradient: depthwise-grad-weight-f32.ts.
// A panel (an output plane, or a weight-gradient channel) is computed by one thread in a fixed
// order, so results do not depend on the thread count. Oracle: src/fast/depthwise.test.ts.
import { madd } from './gemm-f32';
import { gradientChannel } from './depthwise-grad-weight-f32';
import * as dw from './depthwise-train-layout';
import { laneMask, loadQuad, storeLanes, storeSums, word } from './lanes-f32';
import { placeJob, placePlane } from './place-f32';

export function isDepthwiseTrainJob(kind: i32): bool {
  return kind >= dw.JOB_DW_DIRECT && kind <= dw.JOB_DW_PLACE;
}

export function runDepthwiseTrainJob(slot: usize, kind: i32): void {
  if (kind === dw.JOB_DW_PLACE) {
    placeJob(slot);
    return;
  }
  const descriptor = <usize>word(slot, dw.WORD_DESCRIPTOR);
  const total = word(slot, dw.WORD_PANELS);
  const chunk = max(1, word(slot, dw.WORD_CHUNK));
  const scratch = <usize>word(slot, dw.WORD_SCRATCH);
  const planes = <usize>word(slot, dw.WORD_SCRATCH_B);
  const counter = descriptor + (<usize>dw.D_NEXT_PANEL << 2);
  let placed = -1; // the source plane the plane scratch holds (direct jobs)
  for (;;) {
    const start = atomic.add<i32>(counter, chunk);
    if (start >= total) break;
    const end = min(total, start + chunk);
    for (let panel = start; panel < end; panel++) {
      if (kind === dw.JOB_DW_DIRECT) placed = directPlane(descriptor, panel, scratch, planes, placed);
      else gradientChannel(descriptor, panel, scratch, planes);
    }
  }
}

// small scratch layout (bytes): the block's four sums (4 × 16) | the accumulators' input byte offsets (4 × i32)
const OFFSETS = 64;

/** One output plane (image, channel), block by block; returns the source plane now in the plane scratch. */
function directPlane(descriptor: usize, panel: i32, scratch: usize, input: usize, placed: i32): i32 {
  const outputs = word(descriptor, dw.D_OUTPUTS);
  const channel = panel % outputs;
  const source = (panel / outputs) * word(descriptor, dw.D_IN_CHANNELS) + channel / word(descriptor, dw.D_MULTIPLIER);
  if (source !== placed) {
    const sourceH = word(descriptor, dw.D_SOURCE_H);
    const sourceW = word(descriptor, dw.D_SOURCE_W);
    placePlane(
      <usize>word(descriptor, dw.D_INPUT) + ((<usize>source * sourceH * sourceW) << 2), sourceH, sourceW,
      input, word(descriptor, dw.D_PADDED_H), word(descriptor, dw.D_IN_ROW), word(descriptor, dw.D_IN_PLANE),
      word(descriptor, dw.D_PLACE_TOP), word(descriptor, dw.D_PLACE_LEFT), word(descriptor, dw.D_PLACE_STRIDE_H), word(descriptor, dw.D_PLACE_STRIDE_W),
    );
  }
  const inRow = word(descriptor, dw.D_IN_ROW);
  const strideH = word(descriptor, dw.D_STRIDE_H);
  const strideW = word(descriptor, dw.D_STRIDE_W);
  const outH = word(descriptor, dw.D_OUT_H);
  const outW = word(descriptor, dw.D_OUT_W);
  const outRow = word(descriptor, dw.D_OUT_ROW);
  const step = word(descriptor, dw.D_OUT_STEP);
  const rows = word(descriptor, dw.D_BLOCK_ROWS);
  const quadsPerRow = 4 / rows;
  const quads = (outW + 3) >> 2;
  const outPlane = <usize>word(descriptor, dw.D_OUTPUT) + ((<usize>panel * word(descriptor, dw.D_OUT_PLANE)) << 2);
  const bias = <usize>word(descriptor, dw.D_BIAS);
  const shift = f32x4.splat(bias === 0 ? 0 : load<f32>(bias + (<usize>channel << 2)));
  for (let i = 0; i < 4; i++) {
    const offset = (i / quadsPerRow) * strideH * inRow + (i % quadsPerRow) * 4 * strideW;
    store<i32>(scratch + OFFSETS + (<usize>i << 2), offset << 2);
  }
  const weights = <usize>word(descriptor, dw.D_WEIGHTS) + ((<usize>channel * word(descriptor, dw.D_KERNEL_H) * word(descriptor, dw.D_KERNEL_W)) << 2);
  for (let oh0 = 0; oh0 < outH; oh0 += rows) {
    for (let q0 = 0; q0 < quads; q0 += quadsPerRow) {
      const at = input + ((<usize>(oh0 * strideH) * inRow + <usize>(q0 * 4 * strideW)) << 2);
      blockSums(descriptor, at, weights, scratch, rows, strideW);
      // the block's valid rows × quads, row by row (no divisions: this runs once per four quads)
      const validRows = min(rows, outH - oh0);
      const validQuads = min(quadsPerRow, quads - q0);
      for (let r = 0; r < validRows; r++) {
        const rowStart = outPlane + ((<usize>(oh0 + r) * outRow + <usize>(q0 * 4 * step)) << 2);
        const sumRow = scratch + (<usize>(r * quadsPerRow) << 4);
        for (let q = 0; q < validQuads; q++) {
          const value = f32x4.add(v128.load(sumRow + (<usize>q << 4)), shift);
          if (step === 1) storeLanes(value, rowStart + (<usize>q << 4), laneMask(outW - (q0 + q) * 4));
          else storeSpread(value, rowStart + ((<usize>(q * 4 * step)) << 2), min(4, outW - (q0 + q) * 4), step);
        }
      }
    }
  }
  return source;
}

/** Lanes [0, count) of `value` at target, target + step floats, … */
function storeSpread(value: v128, target: usize, count: i32, step: i32): void {
  const bytes = <usize>step << 2;
  store<f32>(target, f32x4.extract_lane(value, 0));
  if (count > 1) store<f32>(target + bytes, f32x4.extract_lane(value, 1));
  if (count > 2) store<f32>(target + 2 * bytes, f32x4.extract_lane(value, 2));
  if (count > 3) store<f32>(target + 3 * bytes, f32x4.extract_lane(value, 3));
}

/** Σ_taps w · in for the block at `at`: specialized for strides 1 and 2 (row pointers, immediate quad offsets), else by offsets. */
function blockSums(descriptor: usize, at: usize, weights: usize, scratch: usize, rows: i32, strideW: i32): void {
  if (strideW === 1) {
    if (rows === 1) blockRows1Stride1(descriptor, at, weights, scratch);
    else if (rows === 2) blockRows2Stride1(descriptor, at, weights, scratch);
    else blockRows4Stride1(descriptor, at, weights, scratch);
  } else if (strideW === 2) {
    if (rows === 1) blockRows1Stride2(descriptor, at, weights, scratch);
    else if (rows === 2) blockRows2Stride2(descriptor, at, weights, scratch);
    else blockRows4Stride2(descriptor, at, weights, scratch);
  } else {
    blockSumsStrided(descriptor, at, weights, scratch);
  }
}

function offsetAt(scratch: usize, i: i32): usize {
  return <usize>load<i32>(scratch + OFFSETS + (<usize>i << 2));
}

/** Stride 1, 1 row × 4 quads: row pointers and immediate quad offsets. */
function blockRows1Stride1(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, v128.load(p0), a0);
      a1 = madd(w, v128.load(p0, 16), a1);
      a2 = madd(w, v128.load(p0, 32), a2);
      a3 = madd(w, v128.load(p0, 48), a3);
      p0 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Stride 1, 2 rows × 2 quads: row pointers and immediate quad offsets. */
function blockRows2Stride1(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  const row = <usize>(word(descriptor, dw.D_STRIDE_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    let p1 = p0 + row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, v128.load(p0), a0);
      a1 = madd(w, v128.load(p0, 16), a1);
      a2 = madd(w, v128.load(p1), a2);
      a3 = madd(w, v128.load(p1, 16), a3);
      p0 += tapStep;
      p1 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Stride 1, 4 rows × 1 quad: row pointers and immediate quad offsets. */
function blockRows4Stride1(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  const row = <usize>(word(descriptor, dw.D_STRIDE_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    let p1 = p0 + row;
    let p2 = p1 + row;
    let p3 = p2 + row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, v128.load(p0), a0);
      a1 = madd(w, v128.load(p1), a1);
      a2 = madd(w, v128.load(p2), a2);
      a3 = madd(w, v128.load(p3), a3);
      p0 += tapStep;
      p1 += tapStep;
      p2 += tapStep;
      p3 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Stride 2, 1 row × 4 quads: row pointers and immediate quad offsets. */
function blockRows1Stride2(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, i32x4.shuffle(v128.load(p0), v128.load(p0, 16), 0, 2, 4, 6), a0);
      a1 = madd(w, i32x4.shuffle(v128.load(p0, 32), v128.load(p0, 48), 0, 2, 4, 6), a1);
      a2 = madd(w, i32x4.shuffle(v128.load(p0, 64), v128.load(p0, 80), 0, 2, 4, 6), a2);
      a3 = madd(w, i32x4.shuffle(v128.load(p0, 96), v128.load(p0, 112), 0, 2, 4, 6), a3);
      p0 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Stride 2, 2 rows × 2 quads: row pointers and immediate quad offsets. */
function blockRows2Stride2(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  const row = <usize>(word(descriptor, dw.D_STRIDE_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    let p1 = p0 + row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, i32x4.shuffle(v128.load(p0), v128.load(p0, 16), 0, 2, 4, 6), a0);
      a1 = madd(w, i32x4.shuffle(v128.load(p0, 32), v128.load(p0, 48), 0, 2, 4, 6), a1);
      a2 = madd(w, i32x4.shuffle(v128.load(p1), v128.load(p1, 16), 0, 2, 4, 6), a2);
      a3 = madd(w, i32x4.shuffle(v128.load(p1, 32), v128.load(p1, 48), 0, 2, 4, 6), a3);
      p0 += tapStep;
      p1 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Stride 2, 4 rows × 1 quad: row pointers and immediate quad offsets. */
function blockRows4Stride2(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  const row = <usize>(word(descriptor, dw.D_STRIDE_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p0 = at;
    let p1 = p0 + row;
    let p2 = p1 + row;
    let p3 = p2 + row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, i32x4.shuffle(v128.load(p0), v128.load(p0, 16), 0, 2, 4, 6), a0);
      a1 = madd(w, i32x4.shuffle(v128.load(p1), v128.load(p1, 16), 0, 2, 4, 6), a1);
      a2 = madd(w, i32x4.shuffle(v128.load(p2), v128.load(p2, 16), 0, 2, 4, 6), a2);
      a3 = madd(w, i32x4.shuffle(v128.load(p3), v128.load(p3, 16), 0, 2, 4, 6), a3);
      p0 += tapStep;
      p1 += tapStep;
      p2 += tapStep;
      p3 += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}

/** Strides above 2: quads gathered by loadQuad, the accumulators at the scratch's byte offsets from `at`. */
function blockSumsStrided(descriptor: usize, at: usize, tap: usize, scratch: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const strideW = word(descriptor, dw.D_STRIDE_W);
  const rowStep = <usize>(word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapStep = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  const o1 = offsetAt(scratch, 1), o2 = offsetAt(scratch, 2), o3 = offsetAt(scratch, 3);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let p = at;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, loadQuad(p, strideW), a0);
      a1 = madd(w, loadQuad(p + o1, strideW), a1);
      a2 = madd(w, loadQuad(p + o2, strideW), a2);
      a3 = madd(w, loadQuad(p + o3, strideW), a3);
      p += tapStep;
      tap += 4;
    }
    at += rowStep;
  }
  storeSums(scratch, a0, a1, a2, a3);
}
