// Elementwise training jobs in WebAssembly SIMD: ReluGrad dX = X > 0 ? dY : +0 as the bits of dY
// ANDed with the lane mask of X > 0 (NaN and ±0 in X give +0, dY passes through bit for bit),
// each job owning the element range [first, first + count); the 2 × 2 / stride-2 MaxPoolGrad,
// each job owning planes [first, first + count); and, for the forward ops' kernels, Relu and the
// 2 × 2 / stride-2 MaxPool values. Slot words: batch-norm-train-layout.ts.
import * as bn from './batch-norm-train-layout';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isElementwiseTrainJob(kind: i32): bool {
  return kind >= bn.JOB_RELU_GRAD && kind <= bn.JOB_MAX_POOL;
}

export function runElementwiseTrainJob(slot: usize, kind: i32): void {
  if (kind === bn.JOB_MAX_POOL_GRAD) maxPoolGradPlanes(slot);
  else if (kind === bn.JOB_RELU) reluRange(slot);
  else if (kind === bn.JOB_MAX_POOL) maxPoolPlanes(slot);
  else reluGradRange(slot);
}

function reluGradRange(slot: usize): void {
  const first = <usize>word(slot, bn.WORD_FIRST_ELEMENT) << 2;
  const count = word(slot, bn.WORD_ELEMENTS);
  const x = <usize>word(slot, bn.WORD_X) + first;
  const dy = <usize>word(slot, bn.WORD_GRADIENT) + first;
  const dx = <usize>word(slot, bn.WORD_OUTPUT) + first;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const offset = <usize>i << 2;
    v128.store(dx + offset, v128.and(v128.load(dy + offset), f32x4.gt(v128.load(x + offset), zero)));
    v128.store(dx + offset, v128.and(v128.load(dy + offset, 16), f32x4.gt(v128.load(x + offset, 16), zero)), 16);
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(dx + offset, load<f32>(x + offset) > 0 ? load<f32>(dy + offset) : 0);
  }
}

/**
 * MaxPoolGrad for 2 × 2 windows, stride 2, no padding: planes [first, first + count) of X
 * (height, width) and dY (height / 2, width / 2, floored); dX gets dY at each window's first
 * maximum (row-major scan, a later element wins only if strictly greater: ties and NaN keep the
 * first) and 0 everywhere else, rows and columns outside every window included. Four windows at a
 * time: the two input rows' quads are split into even and odd columns.
 */
export function maxPoolGradPlanes(slot: usize): void {
  const first = word(slot, bn.WORD_FIRST_ELEMENT);
  const count = word(slot, bn.WORD_ELEMENTS);
  const height = word(slot, bn.WORD_BATCH);
  const width = word(slot, bn.WORD_INNER);
  const outH = height >> 1;
  const outW = width >> 1;
  const inPlane = <usize>(height * width) << 2;
  const outPlane = <usize>(outH * outW) << 2;
  const rowBytes = <usize>width << 2;
  for (let plane = first; plane < first + count; plane++) {
    const x = <usize>word(slot, bn.WORD_X) + <usize>plane * inPlane;
    const dy = <usize>word(slot, bn.WORD_GRADIENT) + <usize>plane * outPlane;
    const dx = <usize>word(slot, bn.WORD_OUTPUT) + <usize>plane * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      const top = <usize>(2 * oh) * rowBytes;
      routeRow(x + top, x + top + rowBytes, dy + ((<usize>(oh * outW)) << 2), dx + top, dx + top + rowBytes, outW);
      if (width > 2 * outW) {
        store<f32>(dx + top + rowBytes - 4, 0);
        store<f32>(dx + top + 2 * rowBytes - 4, 0);
      }
    }
    if (height > 2 * outH) memory.fill(dx + <usize>(2 * outH) * rowBytes, 0, rowBytes);
  }
}

/** One row of windows: inputs at `upper` / `lower`, gradients at `dy`, outputs at `upperOut` / `lowerOut`. */
function routeRow(upper: usize, lower: usize, dy: usize, upperOut: usize, lowerOut: usize, windows: i32): void {
  let w = 0;
  for (; w + 4 <= windows; w += 4) {
    const at = <usize>w << 3; // 2 columns per window
    const u0 = v128.load(upper + at);
    const u1 = v128.load(upper + at, 16);
    const l0 = v128.load(lower + at);
    const l1 = v128.load(lower + at, 16);
    const a = i32x4.shuffle(u0, u1, 0, 2, 4, 6);
    const b = i32x4.shuffle(u0, u1, 1, 3, 5, 7);
    const c = i32x4.shuffle(l0, l1, 0, 2, 4, 6);
    const d = i32x4.shuffle(l0, l1, 1, 3, 5, 7);
    const overA = f32x4.gt(b, a);
    const best1 = v128.bitselect(b, a, overA);
    const overB = f32x4.gt(c, best1);
    const best2 = v128.bitselect(c, best1, overB);
    const overC = f32x4.gt(d, best2);
    const g = v128.load(dy + (<usize>w << 2));
    // the winner: d if overC, else c if overB, else b if overA, else a
    const toD = v128.and(g, overC);
    const rest = v128.andnot(g, overC);
    const toC = v128.and(rest, overB);
    const rest2 = v128.andnot(rest, overB);
    const toB = v128.and(rest2, overA);
    const toA = v128.andnot(rest2, overA);
    v128.store(upperOut + at, i32x4.shuffle(toA, toB, 0, 4, 1, 5));
    v128.store(upperOut + at, i32x4.shuffle(toA, toB, 2, 6, 3, 7), 16);
    v128.store(lowerOut + at, i32x4.shuffle(toC, toD, 0, 4, 1, 5));
    v128.store(lowerOut + at, i32x4.shuffle(toC, toD, 2, 6, 3, 7), 16);
  }
  for (; w < windows; w++) {
    const at = <usize>w << 3;
    let best = load<f32>(upper + at);
    let winner = 0;
    if (load<f32>(upper + at + 4) > best) {
      best = load<f32>(upper + at + 4);
      winner = 1;
    }
    if (load<f32>(lower + at) > best) {
      best = load<f32>(lower + at);
      winner = 2;
    }
    if (load<f32>(lower + at + 4) > best) winner = 3;
    const g = load<f32>(dy + (<usize>w << 2));
    store<f32>(upperOut + at, winner === 0 ? g : 0);
    store<f32>(upperOut + at + 4, winner === 1 ? g : 0);
    store<f32>(lowerOut + at, winner === 2 ? g : 0);
    store<f32>(lowerOut + at + 4, winner === 3 ? g : 0);
  }
}

/** Relu over elements [first, first + count): the bits of X ANDed with the mask of X > 0 (NaN and ±0 give +0). */
export function reluRange(slot: usize): void {
  const first = <usize>word(slot, bn.WORD_FIRST_ELEMENT) << 2;
  const count = word(slot, bn.WORD_ELEMENTS);
  const x = <usize>word(slot, bn.WORD_X) + first;
  const y = <usize>word(slot, bn.WORD_OUTPUT) + first;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const offset = <usize>i << 2;
    const a = v128.load(x + offset);
    const b = v128.load(x + offset, 16);
    v128.store(y + offset, v128.and(a, f32x4.gt(a, zero)));
    v128.store(y + offset, v128.and(b, f32x4.gt(b, zero)), 16);
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    const value = load<f32>(x + offset);
    store<f32>(y + offset, value > 0 ? value : 0);
  }
}

/** MaxPool values for 2 × 2 windows, stride 2, no padding, planes [first, first + count) (the first maximum's value: ties and NaN keep the first). */
export function maxPoolPlanes(slot: usize): void {
  const first = word(slot, bn.WORD_FIRST_ELEMENT);
  const count = word(slot, bn.WORD_ELEMENTS);
  const height = word(slot, bn.WORD_BATCH);
  const width = word(slot, bn.WORD_INNER);
  const outH = height >> 1;
  const outW = width >> 1;
  const inPlane = <usize>(height * width) << 2;
  const outPlane = <usize>(outH * outW) << 2;
  const rowBytes = <usize>width << 2;
  for (let plane = first; plane < first + count; plane++) {
    const x = <usize>word(slot, bn.WORD_X) + <usize>plane * inPlane;
    const y = <usize>word(slot, bn.WORD_OUTPUT) + <usize>plane * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const upper = x + <usize>(2 * oh) * rowBytes;
      const lower = upper + rowBytes;
      const out = y + ((<usize>(oh * outW)) << 2);
      let w = 0;
      for (; w + 4 <= outW; w += 4) {
        const at = <usize>w << 3;
        const u0 = v128.load(upper + at);
        const u1 = v128.load(upper + at, 16);
        const l0 = v128.load(lower + at);
        const l1 = v128.load(lower + at, 16);
        let best = i32x4.shuffle(u0, u1, 0, 2, 4, 6);
        let next = i32x4.shuffle(u0, u1, 1, 3, 5, 7);
        best = v128.bitselect(next, best, f32x4.gt(next, best));
        next = i32x4.shuffle(l0, l1, 0, 2, 4, 6);
        best = v128.bitselect(next, best, f32x4.gt(next, best));
        next = i32x4.shuffle(l0, l1, 1, 3, 5, 7);
        v128.store(out + (<usize>w << 2), v128.bitselect(next, best, f32x4.gt(next, best)));
      }
      for (; w < outW; w++) {
        const at = <usize>w << 3;
        let best = load<f32>(upper + at);
        if (load<f32>(upper + at + 4) > best) best = load<f32>(upper + at + 4);
        if (load<f32>(lower + at) > best) best = load<f32>(lower + at);
        if (load<f32>(lower + at + 4) > best) best = load<f32>(lower + at + 4);
        store<f32>(out + (<usize>w << 2), best);
      }
    }
  }
}
