// 2 × 2 / stride-2 max pool (floor mode, no padding) of uint8 / int8 planes in WebAssembly SIMD —
// the pools between the quantized convolutions. Per pair of input rows: the vertical maximum of
// 16 (or 8) columns, then the maximum of its even and odd bytes gives 8 (or 4) outputs; a row's
// last chunk overlaps the previous one (rewriting identical values) instead of a scalar tail.
// Values only (integers have no NaN: the maximum is the first maximum's value). Oracle:
// src/wasm/int8-pool.test.ts (the MaxPool kernel's general window loop).
import * as layout from './conv-int8-layout';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isInt8PoolJob(kind: i32): bool {
  return kind === layout.JOB_INT8_MAX_POOL;
}

export function runInt8PoolJob(slot: usize): void {
  const inH = word(slot, layout.WORD_POOL_IN_H);
  const inW = word(slot, layout.WORD_POOL_IN_W);
  const outH = word(slot, layout.WORD_POOL_OUT_H);
  const outW = word(slot, layout.WORD_POOL_OUT_W);
  const signed = word(slot, layout.WORD_POOL_SIGNED) !== 0;
  const plane0 = word(slot, layout.WORD_POOL_PLANE0);
  const planes = word(slot, layout.WORD_POOL_PLANES);
  const input = <usize>word(slot, layout.WORD_POOL_INPUT);
  const output = <usize>word(slot, layout.WORD_POOL_OUTPUT);
  for (let plane = plane0; plane < plane0 + planes; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = input + <usize>(plane * inH + 2 * oh) * inW;
      const out = output + <usize>(plane * outH + oh) * outW;
      if (outW >= 8) poolRow16(top, top + inW, out, outW, signed);
      else if (outW >= 4) poolRow8(top, top + inW, out, outW, signed);
      else poolRowScalar(top, top + inW, out, outW, signed);
    }
  }
  store<i32>(slot + (<usize>layout.WORD_POOL_DONE << 2), 1);
}

function maximum(a: v128, b: v128, signed: bool): v128 {
  return signed ? i8x16.max_s(a, b) : i8x16.max_u(a, b);
}

/** 8 outputs from 16 columns at column 2 · o of both rows. */
function pool16(top: usize, bottom: usize, signed: bool): v128 {
  const vertical = maximum(v128.load(top), v128.load(bottom), signed);
  const even = i8x16.shuffle(vertical, vertical, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
  const odd = i8x16.shuffle(vertical, vertical, 1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
  return maximum(even, odd, signed);
}

function poolRow16(top: usize, bottom: usize, out: usize, outW: i32, signed: bool): void {
  let o = 0;
  for (; o + 8 <= outW; o += 8) v128.store64_lane(out + o, pool16(top + 2 * o, bottom + 2 * o, signed), 0);
  if (o < outW) {
    const last = <usize>(outW - 8);
    v128.store64_lane(out + last, pool16(top + 2 * last, bottom + 2 * last, signed), 0);
  }
}

/** 4 outputs from 8 columns at column 2 · o of both rows. */
function pool8(top: usize, bottom: usize, signed: bool): v128 {
  const vertical = maximum(v128.load64_zero(top), v128.load64_zero(bottom), signed);
  const even = i8x16.shuffle(vertical, vertical, 0, 2, 4, 6, 0, 2, 4, 6, 0, 2, 4, 6, 0, 2, 4, 6);
  const odd = i8x16.shuffle(vertical, vertical, 1, 3, 5, 7, 1, 3, 5, 7, 1, 3, 5, 7, 1, 3, 5, 7);
  return maximum(even, odd, signed);
}

function poolRow8(top: usize, bottom: usize, out: usize, outW: i32, signed: bool): void {
  v128.store32_lane(out, pool8(top, bottom, signed), 0);
  if (outW > 4) {
    const last = <usize>(outW - 4);
    v128.store32_lane(out + last, pool8(top + 2 * last, bottom + 2 * last, signed), 0);
  }
}

function poolRowScalar(top: usize, bottom: usize, out: usize, outW: i32, signed: bool): void {
  for (let o = 0; o < outW; o++) {
    const at = <usize>(2 * o);
    let best = signed ? <i32>load<i8>(top + at) : <i32>load<u8>(top + at);
    best = max(best, signed ? <i32>load<i8>(top + at + 1) : <i32>load<u8>(top + at + 1));
    best = max(best, signed ? <i32>load<i8>(bottom + at) : <i32>load<u8>(bottom + at));
    best = max(best, signed ? <i32>load<i8>(bottom + at + 1) : <i32>load<u8>(bottom + at + 1));
    store<u8>(out + o, <u8>best);
  }
}
