// The depthwise weight gradient in WebAssembly SIMD (descriptor: depthwise-train-layout.ts):
// dw[m, kh, kw] = Σ_n Σ_oh,ow dY[n, m, oh, ow] · X[n, m / multiplier, oh·sH + kh·dH − padTop, ow·sW + kw·dW − padLeft].
// One panel = one output channel m. Image by image, the X plane is copied zero-padded into the
// thread's scratch and the dY plane with its rows padded to whole quads (zero lanes), both then
// L1-resident; for one kernel row and four taps at a time, four f32x4 accumulators (more run out
// of registers on V8) sum dY quads · input quads over the plane, and are added to the channel's
// per-tap totals in the small scratch
// (each image's sum is a short float32 sum). Lanes past a row's end see zero dY, taps past the
// kernel's width are computed and dropped. A channel is summed in a fixed order by one thread,
// so results do not depend on the thread count. Oracle: src/fast/depthwise.test.ts.
import { madd } from './gemm-f32';
import * as dw from './depthwise-train-layout';
import { horizontalSum, loadQuad, storeSums, word } from './lanes-f32';
import { placePlane } from './place-f32';

// small scratch (bytes): the last four sums (64) | the touches' sink (at 240) | per-(kernel row, tap quad) totals, 64 bytes each
const TOTALS = 256;

export function gradientChannel(descriptor: usize, channel: i32, scratch: usize, planes: usize): void {
  const kernelH = word(descriptor, dw.D_KERNEL_H);
  const kernelW = word(descriptor, dw.D_KERNEL_W);
  const tapQuads = (kernelW + 3) >> 2;
  const totals = scratch + TOTALS;
  memory.fill(totals, 0, <usize>(kernelH * tapQuads) << 6);
  const input = planes;
  const gradient = planes + (<usize>word(descriptor, dw.D_IN_PLANE) << 2);
  const batch = word(descriptor, dw.D_BATCH);
  const kernelRowBytes = (<usize>word(descriptor, dw.D_DILATION_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const tapQuadBytes = <usize>(16 * word(descriptor, dw.D_DILATION_W));
  // the sweep's geometry, read once per channel
  const outH = word(descriptor, dw.D_OUT_H);
  const quads = (word(descriptor, dw.D_OUT_W) + 3) >> 2;
  const strideW = word(descriptor, dw.D_STRIDE_W);
  const inRowBytes = <usize>(word(descriptor, dw.D_STRIDE_H) * word(descriptor, dw.D_IN_ROW)) << 2;
  const gradientRowBytes = <usize>word(descriptor, dw.D_GRADIENT_ROW) << 2;
  const tap = <usize>word(descriptor, dw.D_DILATION_W) << 2;
  let sink = 0;
  for (let image = 0; image < batch; image++) {
    // the next image's planes lie a whole image away: touch their cache lines now (loads do not
    // block), so they arrive while this image is computed
    if (image + 1 < batch) sink ^= touchImage(descriptor, image + 1, channel);
    placeImage(descriptor, image, channel, input, gradient);
    for (let kh = 0; kh < kernelH; kh++) {
      for (let q = 0; q < tapQuads; q++) {
        const start = input + <usize>kh * kernelRowBytes + <usize>q * tapQuadBytes;
        if (strideW !== 1) sweepStrided(start, gradient, scratch, outH, quads, inRowBytes, gradientRowBytes, tap, strideW);
        else if (tap === 4) sweepAdjacentTaps(start, gradient, scratch, outH, quads, inRowBytes, gradientRowBytes);
        else sweepContiguous(start, gradient, scratch, outH, quads, inRowBytes, gradientRowBytes, tap);
        addTotals(totals + (<usize>(kh * tapQuads + q) << 6), scratch);
      }
    }
  }
  store<i32>(scratch + 240, sink); // keeps the touches
  const output = <usize>word(descriptor, dw.D_OUTPUT) + ((<usize>channel * kernelH * kernelW) << 2);
  for (let row = 0; row < kernelH; row++) {
    for (let kw = 0; kw < kernelW; kw++) {
      const total = totals + (<usize>(row * tapQuads + (kw >> 2)) << 6) + (<usize>(kw & 3) << 4);
      store<f32>(output + (<usize>(row * kernelW + kw) << 2), horizontalSum(v128.load(total)));
    }
  }
}

/** totals[0..4) += sums[0..4) (quads). */
function addTotals(totals: usize, sums: usize): void {
  v128.store(totals, f32x4.add(v128.load(totals), v128.load(sums)));
  v128.store(totals, f32x4.add(v128.load(totals, 16), v128.load(sums, 16)), 16);
  v128.store(totals, f32x4.add(v128.load(totals, 32), v128.load(sums, 32)), 32);
  v128.store(totals, f32x4.add(v128.load(totals, 48), v128.load(sums, 48)), 48);
}

/** Reads one word of every cache line of an image's dense X and dY planes (a software prefetch). */
function touchImage(descriptor: usize, image: i32, channel: i32): i32 {
  const inputBytes = <usize>(word(descriptor, dw.D_SOURCE_H) * word(descriptor, dw.D_SOURCE_W)) << 2;
  const inputPlane = image * word(descriptor, dw.D_IN_CHANNELS) + channel / word(descriptor, dw.D_MULTIPLIER);
  const gradientBytes = <usize>(word(descriptor, dw.D_OUT_H) * word(descriptor, dw.D_OUT_W)) << 2;
  const gradientPlane = image * word(descriptor, dw.D_OUTPUTS) + channel;
  return touch(<usize>word(descriptor, dw.D_INPUT) + <usize>inputPlane * inputBytes, inputBytes) ^
    touch(<usize>word(descriptor, dw.D_GRADIENT) + <usize>gradientPlane * gradientBytes, gradientBytes);
}

function touch(start: usize, bytes: usize): i32 {
  let sink = 0;
  for (let at: usize = 0; at < bytes; at += 64) sink ^= load<i32>(start + at);
  return sink ^ load<i32>(start + bytes - 4);
}

/** This image's X plane (zero-padded) and dY plane (rows padded to whole quads) into the plane scratch. */
function placeImage(descriptor: usize, image: i32, channel: i32, input: usize, gradient: usize): void {
  const sourceH = word(descriptor, dw.D_SOURCE_H);
  const sourceW = word(descriptor, dw.D_SOURCE_W);
  const inputPlane = image * word(descriptor, dw.D_IN_CHANNELS) + channel / word(descriptor, dw.D_MULTIPLIER);
  placePlane(
    <usize>word(descriptor, dw.D_INPUT) + ((<usize>inputPlane * sourceH * sourceW) << 2), sourceH, sourceW,
    input, word(descriptor, dw.D_PADDED_H), word(descriptor, dw.D_IN_ROW), word(descriptor, dw.D_IN_PLANE),
    word(descriptor, dw.D_PLACE_TOP), word(descriptor, dw.D_PLACE_LEFT), 1, 1,
  );
  const outH = word(descriptor, dw.D_OUT_H);
  const outW = word(descriptor, dw.D_OUT_W);
  const row = word(descriptor, dw.D_GRADIENT_ROW);
  const gradientPlane = image * word(descriptor, dw.D_OUTPUTS) + channel;
  placePlane(<usize>word(descriptor, dw.D_GRADIENT) + ((<usize>gradientPlane * outH * outW) << 2), outH, outW, gradient, outH, row, outH * row, 0, 0, 1, 1);
}

/** Stride 1, dilation 1: Σ_oh,quads dY quad · the input quads of taps kw0..kw0 + 3 (immediate offsets) into sums[0..64). */
function sweepAdjacentTaps(input: usize, gradient: usize, sums: usize, outH: i32, quads: i32, inRowBytes: usize, gradientRowBytes: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let oh = 0; oh < outH; oh++) {
    let at = input;
    let d = gradient;
    for (let quad = 0; quad < quads; quad++) {
      const g = v128.load(d);
      a0 = madd(g, v128.load(at), a0);
      a1 = madd(g, v128.load(at, 4), a1);
      a2 = madd(g, v128.load(at, 8), a2);
      a3 = madd(g, v128.load(at, 12), a3);
      at += 16;
      d += 16;
    }
    input += inRowBytes;
    gradient += gradientRowBytes;
  }
  storeSums(sums, a0, a1, a2, a3);
}

/** Stride 1, any dilation: taps `tap` bytes apart. */
function sweepContiguous(input: usize, gradient: usize, sums: usize, outH: i32, quads: i32, inRowBytes: usize, gradientRowBytes: usize, tap: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let oh = 0; oh < outH; oh++) {
    let at = input;
    let d = gradient;
    for (let quad = 0; quad < quads; quad++) {
      const g = v128.load(d);
      a0 = madd(g, v128.load(at), a0);
      a1 = madd(g, v128.load(at + tap), a1);
      a2 = madd(g, v128.load(at + 2 * tap), a2);
      a3 = madd(g, v128.load(at + 3 * tap), a3);
      at += 16;
      d += 16;
    }
    input += inRowBytes;
    gradient += gradientRowBytes;
  }
  storeSums(sums, a0, a1, a2, a3);
}

/** Other strides: input quads gathered by loadQuad. */
function sweepStrided(input: usize, gradient: usize, sums: usize, outH: i32, quads: i32, inRowBytes: usize, gradientRowBytes: usize, tap: usize, strideW: i32): void {
  const quadStep = <usize>(16 * strideW);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let oh = 0; oh < outH; oh++) {
    let at = input;
    let d = gradient;
    for (let quad = 0; quad < quads; quad++) {
      const g = v128.load(d);
      a0 = madd(g, loadQuad(at, strideW), a0);
      a1 = madd(g, loadQuad(at + tap, strideW), a1);
      a2 = madd(g, loadQuad(at + 2 * tap, strideW), a2);
      a3 = madd(g, loadQuad(at + 3 * tap, strideW), a3);
      at += quadStep;
      d += 16;
    }
    input += inRowBytes;
    gradient += gradientRowBytes;
  }
  storeSums(sums, a0, a1, a2, a3);
}
