// 8-bit quantized 2-D convolution (QLinearConv, group 1) in WebAssembly SIMD, as an implicit GEMM:
// Y[m, position] = requantize(Σ_k (W[m, k] − w_zero[m]) · (X[k, position] − x_zero) + bias[m]),
// X the im2col matrix, which is never materialized. Per image, the input is widened to int16
// (minus its zero point) into zero-bordered padded planes (padding then contributes exactly 0);
// per panel of 8 output columns of one output row, the panel's im2col columns are gathered into
// pairs of depths interleaved as int16 (two loads and two shuffles per pair at stride 1), then
// multiplied by the prepacked weights 4 output channels at a time with i32x4.dot_i16x8_s into
// accumulators that start at the bias, which is exact (|product| ≤ 255², the host checks that no
// sum can leave int32), and the epilogue requantizes straight from the accumulators: → f64,
// · multiplier[m], round half to even, + y_zero, then the saturating narrowings clamp to uint8 /
// int8 — the same double arithmetic as the reference kernel, so results are bit-exact.
// Dense mode: a 1 × 1 kernel over 1 × 1 images (a fully connected layer); the lanes are 8 images.
// Oracle: src/wasm/int8-conv.test.ts (the QLinearConv reference kernel).
import * as layout from './conv-int8-layout';

const ROWS: i32 = 4; // output channels per micro-tile
const LANES: i32 = 8; // output positions (or images) per micro-tile

function word(address: usize, index: i32): i32 {
  return load<i32>(address + (<usize>index << 2));
}

export function isInt8ConvJob(kind: i32): bool {
  return kind === layout.JOB_INT8_CONV;
}

/** Runs work units from the descriptor's counter until none are left (any number of threads). */
export function runInt8ConvJob(slot: usize): void {
  const descriptor = <usize>word(slot, layout.WORD_DESCRIPTOR);
  const packed = <usize>word(slot, layout.WORD_SCRATCH_A);
  const planes = <usize>word(slot, layout.WORD_SCRATCH_B);
  const dense = word(descriptor, layout.D_MODE) === layout.MODE_DENSE;
  const batch = word(descriptor, layout.D_BATCH);
  const units = dense ? (batch + LANES - 1) / LANES : batch;
  const counter = descriptor + (<usize>layout.D_NEXT_UNIT << 2);
  let bordersZeroed = false;
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= units) break;
    if (dense) {
      denseUnit(descriptor, unit * LANES, packed);
      continue;
    }
    // the borders stay zero from image to image: only the interior is rewritten
    if (!bordersZeroed) memory.fill(planes, 0, planeBytes(descriptor));
    bordersZeroed = true;
    convImage(descriptor, unit, packed, planes);
  }
}

function planeBytes(d: usize): usize {
  return (<usize>word(d, layout.D_CHANNELS) * word(d, layout.D_PADDED_H) * word(d, layout.D_PADDED_W)) << 1;
}

/** Writes x[image] − x_zero as int16 into the interior of the zero-bordered padded planes. */
function widenImage(d: usize, image: i32, planes: usize): void {
  const channels = word(d, layout.D_CHANNELS);
  const height = word(d, layout.D_IN_H);
  const width = word(d, layout.D_IN_W);
  const padTop = word(d, layout.D_PAD_TOP);
  const padLeft = word(d, layout.D_PAD_LEFT);
  const paddedH = word(d, layout.D_PADDED_H);
  const paddedW = word(d, layout.D_PADDED_W);
  const signed = word(d, layout.D_IN_SIGNED) !== 0;
  const zero = word(d, layout.D_X_ZERO);
  // rows and columns of x that land inside the padded planes
  const firstRow = max(0, -padTop);
  const rows = min(height, paddedH - padTop) - firstRow;
  const count = min(width, paddedW - padLeft);
  if (rows <= 0 || count <= 0) return;
  const source = <usize>word(d, layout.D_INPUT) + <usize>image * channels * height * width;
  for (let c = 0; c < channels; c++) {
    for (let r = firstRow; r < firstRow + rows; r++) {
      const from = source + <usize>(c * height + r) * width;
      const to = planes + (<usize>((c * paddedH + r + padTop) * paddedW + padLeft) << 1);
      widenRow(from, to, count, signed, zero);
    }
  }
}

function widen8(from: usize, signed: bool, zero: v128): v128 {
  return i16x8.sub(signed ? v128.load8x8_s(from) : v128.load8x8_u(from), zero);
}

function widenRow(from: usize, to: usize, count: i32, signed: bool, zero: i32): void {
  if (count < LANES) {
    for (let j = 0; j < count; j++) store<i16>(to + (<usize>j << 1), <i16>((signed ? <i32>load<i8>(from + j) : <i32>load<u8>(from + j)) - zero));
    return;
  }
  const zeros = i16x8.splat(<i16>zero);
  let j = 0;
  for (; j + LANES <= count; j += LANES) v128.store(to + (<usize>j << 1), widen8(from + j, signed, zeros));
  // the tail as one overlapping chunk (rewrites a few identical values)
  if (j < count) v128.store(to + (<usize>(count - LANES) << 1), widen8(from + count - LANES, signed, zeros));
}

/** All output rows of one image, in panels of 8 output columns. */
function convImage(d: usize, image: i32, packed: usize, planes: usize): void {
  widenImage(d, image, planes);
  const outH = word(d, layout.D_OUT_H);
  const outW = word(d, layout.D_OUT_W);
  const strideH = word(d, layout.D_STRIDE_H);
  const strideW = word(d, layout.D_STRIDE_W);
  const paddedW = word(d, layout.D_PADDED_W);
  const depth = word(d, layout.D_DEPTH);
  const offsets = <usize>word(d, layout.D_K_OFFSETS);
  const positions = outH * outW;
  const output = <usize>word(d, layout.D_OUTPUT) + <usize>image * word(d, layout.D_OUT_CHANNELS) * positions;
  for (let oh = 0; oh < outH; oh++) {
    for (let ow0 = 0; ow0 < outW; ow0 += LANES) {
      const base = planes + (<usize>(oh * strideH * paddedW + ow0 * strideW) << 1);
      if (strideW === 1) packStride1(base, offsets, depth, packed);
      else if (strideW === 2) packStride2(base, offsets, depth, packed);
      else packGather(base, offsets, depth, strideW, packed);
      computePanel(d, packed, output + <usize>(oh * outW + ow0), positions, 1, min(LANES, outW - ow0));
    }
  }
}

function interleaveLow(even: v128, odd: v128): v128 {
  return i8x16.shuffle(even, odd, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
}

function interleaveHigh(even: v128, odd: v128): v128 {
  return i8x16.shuffle(even, odd, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
}

function offsetAt(offsets: usize, k: i32): usize {
  return <usize>load<i32>(offsets + (<usize>k << 2)) << 1;
}

/** Packed panel: per depth pair q, lanes 0-3 then 4-7 as int16 (x[2q][lane], x[2q + 1][lane]). */
function packStride1(base: usize, offsets: usize, depth: i32, dst: usize): void {
  let k = 0;
  for (; k + 1 < depth; k += 2) {
    const even = v128.load(base + offsetAt(offsets, k));
    const odd = v128.load(base + offsetAt(offsets, k + 1));
    v128.store(dst, interleaveLow(even, odd));
    v128.store(dst, interleaveHigh(even, odd), 16);
    dst += 32;
  }
  if (k < depth) {
    const even = v128.load(base + offsetAt(offsets, k));
    const odd = i32x4.splat(0);
    v128.store(dst, interleaveLow(even, odd));
    v128.store(dst, interleaveHigh(even, odd), 16);
  }
}

function loadStride2(at: usize): v128 {
  return i8x16.shuffle(v128.load(at), v128.load(at, 16), 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}

function packStride2(base: usize, offsets: usize, depth: i32, dst: usize): void {
  for (let k = 0; k < depth; k += 2) {
    const even = loadStride2(base + offsetAt(offsets, k));
    const odd = k + 1 < depth ? loadStride2(base + offsetAt(offsets, k + 1)) : i32x4.splat(0);
    v128.store(dst, interleaveLow(even, odd));
    v128.store(dst, interleaveHigh(even, odd), 16);
    dst += 32;
  }
}

function gather8(at: usize, step: usize): v128 {
  let lanes = i16x8.splat(load<i16>(at));
  lanes = i16x8.replace_lane(lanes, 1, load<i16>(at + step));
  lanes = i16x8.replace_lane(lanes, 2, load<i16>(at + 2 * step));
  lanes = i16x8.replace_lane(lanes, 3, load<i16>(at + 3 * step));
  lanes = i16x8.replace_lane(lanes, 4, load<i16>(at + 4 * step));
  lanes = i16x8.replace_lane(lanes, 5, load<i16>(at + 5 * step));
  lanes = i16x8.replace_lane(lanes, 6, load<i16>(at + 6 * step));
  return i16x8.replace_lane(lanes, 7, load<i16>(at + 7 * step));
}

function packGather(base: usize, offsets: usize, depth: i32, strideW: i32, dst: usize): void {
  const step = <usize>strideW << 1;
  for (let k = 0; k < depth; k += 2) {
    const even = gather8(base + offsetAt(offsets, k), step);
    const odd = k + 1 < depth ? gather8(base + offsetAt(offsets, k + 1), step) : i32x4.splat(0);
    v128.store(dst, interleaveLow(even, odd));
    v128.store(dst, interleaveHigh(even, odd), 16);
    dst += 32;
  }
}

/** Dense mode: images i0 .. i0 + 7 are the lanes (lanes past the batch repeat the last image). */
function denseUnit(d: usize, i0: i32, packed: usize): void {
  const batch = word(d, layout.D_BATCH);
  const depth = word(d, layout.D_DEPTH);
  const signed = word(d, layout.D_IN_SIGNED) !== 0;
  const zero = word(d, layout.D_X_ZERO);
  const input = <usize>word(d, layout.D_INPUT);
  for (let lane = 0; lane < LANES; lane++) {
    const row = input + <usize>min(i0 + lane, batch - 1) * depth;
    packDenseLane(row, depth, signed, zero, packed + (<usize>lane << 2));
  }
  const channels = word(d, layout.D_OUT_CHANNELS);
  const out = <usize>word(d, layout.D_OUTPUT) + <usize>i0 * channels;
  computePanel(d, packed, out, 1, channels, min(LANES, batch - i0));
}

/** One lane of the packed panel: per depth pair q, the int32 (x[2q] − zero, x[2q + 1] − zero) at dst + q · 32. */
function packDenseLane(row: usize, depth: i32, signed: bool, zero: i32, dst: usize): void {
  const zeros = i16x8.splat(<i16>zero);
  let k = 0;
  for (; k + 16 <= depth; k += 16) {
    const bytes = v128.load(row + k);
    const low = i16x8.sub(signed ? i16x8.extend_low_i8x16_s(bytes) : i16x8.extend_low_i8x16_u(bytes), zeros);
    const high = i16x8.sub(signed ? i16x8.extend_high_i8x16_s(bytes) : i16x8.extend_high_i8x16_u(bytes), zeros);
    v128.store32_lane(dst, low, 0);
    v128.store32_lane(dst, low, 1, 32);
    v128.store32_lane(dst, low, 2, 64);
    v128.store32_lane(dst, low, 3, 96);
    v128.store32_lane(dst, high, 0, 128);
    v128.store32_lane(dst, high, 1, 160);
    v128.store32_lane(dst, high, 2, 192);
    v128.store32_lane(dst, high, 3, 224);
    dst += 256;
  }
  for (; k < depth; k += 2) {
    const even = (signed ? <i32>load<i8>(row + k) : <i32>load<u8>(row + k)) - zero;
    const odd = k + 1 < depth ? (signed ? <i32>load<i8>(row + k + 1) : <i32>load<u8>(row + k + 1)) - zero : 0;
    store<i32>(dst, (even & 0xffff) | (odd << 16));
    dst += 32;
  }
}

/**
 * Every output channel of one packed panel, 4 channels at a time, requantized and stored: channel
 * m, lane j at out + m · channelStride + j · laneStride (bytes); lanes ≥ valid are not stored.
 */
function computePanel(d: usize, packed: usize, out: usize, channelStride: i32, laneStride: i32, valid: i32): void {
  const channels = word(d, layout.D_OUT_CHANNELS);
  const pairs = (word(d, layout.D_DEPTH) + 1) >> 1;
  const weights = <usize>word(d, layout.D_WEIGHTS);
  for (let m0 = 0; m0 < channels; m0 += ROWS) {
    microTile(d, pairs, weights + <usize>m0 * pairs * 4, packed, m0, out + <usize>m0 * channelStride, channelStride, laneStride, valid);
  }
}

/** 4 channels × 8 lanes of int32 sums over all depth pairs (from the bias), then the epilogue per channel. */
function microTile(d: usize, pairs: i32, pa: usize, pb: usize, m0: i32, out: usize, channelStride: i32, laneStride: i32, valid: i32): void {
  const bias = <usize>word(d, layout.D_BIAS) + (<usize>m0 << 2);
  let c00 = v128.load32_splat(bias), c01 = c00;
  let c10 = v128.load32_splat(bias, 4), c11 = c10;
  let c20 = v128.load32_splat(bias, 8), c21 = c20;
  let c30 = v128.load32_splat(bias, 12), c31 = c30;
  for (let q = 0; q < pairs; q++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    pa += 16;
    pb += 32;
  }
  const channels = word(d, layout.D_OUT_CHANNELS);
  const step = <usize>channelStride;
  storeChannel(d, m0, c00, c01, out, laneStride, valid);
  if (m0 + 1 < channels) storeChannel(d, m0 + 1, c10, c11, out + step, laneStride, valid);
  if (m0 + 2 < channels) storeChannel(d, m0 + 2, c20, c21, out + 2 * step, laneStride, valid);
  if (m0 + 3 < channels) storeChannel(d, m0 + 3, c30, c31, out + 3 * step, laneStride, valid);
}

const ROUNDING_MAGIC: f64 = 6755399441055744.0; // 1.5 · 2^52

/**
 * Four int32 sums → round_half_even(sum · multiplier) as int32, when |sum · multiplier| < 2^31
 * (D_SMALL_PRODUCTS): adding 1.5 · 2^52 rounds the product to an integer, ties to even, and leaves
 * that integer in the low 32 bits of the double.
 */
function roundSmall(sum: v128, multiplier: v128): v128 {
  const magic = f64x2.splat(ROUNDING_MAGIC);
  const low = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(sum), multiplier), magic);
  const high = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(i8x16.shuffle(sum, sum, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)), multiplier), magic);
  return i8x16.shuffle(low, high, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

/** The same for any product: round half to even (f64x2.nearest), saturated to int32. */
function roundAny(sum: v128, multiplier: v128): v128 {
  const low = f64x2.convert_low_i32x4_s(sum);
  const high = f64x2.convert_low_i32x4_s(i8x16.shuffle(sum, sum, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const lowResult = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(f64x2.mul(low, multiplier)));
  const highResult = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(f64x2.mul(high, multiplier)));
  return i8x16.shuffle(lowResult, highResult, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/**
 * Requantizes channel m's 8 lanes (sums with the bias) and stores the `valid` ones: rounded, then
 * narrowed to int16 with saturation, + y_zero with saturation, narrowed to 8 bits with saturation
 * — saturations compose into the clamp of the exact result (|y_zero| ≤ 255 ≪ the int16 range).
 */
function storeChannel(d: usize, m: i32, low: v128, high: v128, out: usize, laneStride: i32, valid: i32): void {
  const multiplier = v128.load64_splat(<usize>word(d, layout.D_MULTIPLIERS) + (<usize>m << 3));
  const small = word(d, layout.D_SMALL_PRODUCTS) !== 0;
  const rounded = small
    ? i16x8.narrow_i32x4_s(roundSmall(low, multiplier), roundSmall(high, multiplier))
    : i16x8.narrow_i32x4_s(roundAny(low, multiplier), roundAny(high, multiplier));
  const words = i16x8.add_sat_s(rounded, i16x8.splat(<i16>word(d, layout.D_Y_ZERO)));
  const bytes = word(d, layout.D_OUT_SIGNED) !== 0 ? i8x16.narrow_i16x8_s(words, words) : i8x16.narrow_i16x8_u(words, words);
  if (valid === LANES && laneStride === 1) {
    v128.store64_lane(out, bytes, 0);
    return;
  }
  let bits = i64x2.extract_lane(bytes, 0);
  for (let lane = 0; lane < valid; lane++) {
    store<u8>(out + <usize>lane * laneStride, <u8>bits);
    bits >>= 8;
  }
}
