// Float32 2-D convolution as an implicit GEMM in WebAssembly SIMD: Y[m, position] =
// Σ_k W[m, k] · X[k, position] with X the im2col matrix, which is never materialized. The output
// is cut into panels of 2 × 8 positions (two output rows, eight columns) of one image = the 16
// columns of gemm-f32.ts's 2×16 micro-tile, numbered patch-major (panel = patch · batch + image)
// so that consecutive panels share their lane tables. Per panel and group, the panel's im2col columns are
// gathered from the zero-padded input (pad-f32.ts) depth block by depth block into the packed-B
// layout, multiplied by the prepacked weights (all output channels of the group, 2 at a time) into
// a strip of accumulators, then the epilogue adds the bias, applies ReLU / Clip and optionally a
// 2 × 2 / stride 2 max pool (the panel holds exactly the two rows a pooled row needs), and writes
// the output with the descriptor's strides (so it can land inside the next layer's padded input).
// Packed weights: per group, ceil(outPerGroup / 2) panels of (K, 2) floats, rows zero-padded.
// Every output element sums its depth in the same order whatever the panel range of the job, so
// results do not depend on the thread count. Oracle: src/wasm/wasm-conv.test.ts (reference conv).
import * as conv from './conv-layout';
import { BLOCK_K, MR, NR, microKernel } from './gemm-f32';

const PANEL_ROWS = 2;
const PANEL_COLS = 8;
// quad (4 lanes of one output row) kinds for gathering the input
const QUAD_CONTIGUOUS = 0; // stride 1, all lanes valid: one v128 load
const QUAD_STRIDE_2 = 1; // stride 2, all lanes valid: two loads, even lanes
const QUAD_GATHER = 2; // anything else: four scalar loads (invalid lanes repeat lane 0)

// scratch B layout (bytes): lane input offsets (16 i32) | lane output offsets (16 i32) |
// quad kinds (4 i32) | valid-lane mask | packed panel (BLOCK_K × NR f32)
const LANE_IN = 0;
const LANE_OUT = 64;
const QUAD_KINDS = 128;
const VALID_MASK = 144;
const PACKED = 256;

function word(descriptor: usize, index: i32): i32 {
  return load<i32>(descriptor + (<usize>index << 2));
}

/** Computes panels [panel0, panel0 + panels) of the convolution described at `descriptor`. */
export function convF32Job(descriptor: usize, panel0: i32, panels: i32, scratchA: usize, scratchB: usize): void {
  const outW = word(descriptor, conv.D_OUT_W);
  const colBlocks = (outW + PANEL_COLS - 1) / PANEL_COLS;
  const batch = word(descriptor, conv.D_BATCH);
  let lanesOf = -1;
  for (let panel = panel0; panel < panel0 + panels; panel++) {
    // panel-major: consecutive panels are the same patch of successive images (same lanes)
    const image = panel % batch;
    const within = panel / batch;
    const oh0 = (within / colBlocks) * PANEL_ROWS;
    const ow0 = (within % colBlocks) * PANEL_COLS;
    if (within !== lanesOf) setupLanes(descriptor, oh0, ow0, scratchB);
    lanesOf = within;
    const groups = word(descriptor, conv.D_GROUPS);
    for (let group = 0; group < groups; group++) {
      accumulateGroup(descriptor, image, group, scratchA, scratchB);
      epilogue(descriptor, image, group, oh0, ow0, scratchA, scratchB);
    }
  }
}

/** Lane l = (row oh0 + l / 8, column ow0 + l % 8): its input and output offsets, quad kinds, validity. */
function setupLanes(descriptor: usize, oh0: i32, ow0: i32, scratch: usize): void {
  const outH = word(descriptor, conv.D_OUT_H);
  const outW = word(descriptor, conv.D_OUT_W);
  const strideH = word(descriptor, conv.D_STRIDE_H);
  const strideW = word(descriptor, conv.D_STRIDE_W);
  const inRow = word(descriptor, conv.D_IN_ROW_STRIDE);
  const outRow = word(descriptor, conv.D_OUT_ROW_STRIDE);
  let mask = 0;
  for (let lane = 0; lane < NR; lane++) {
    const oh = oh0 + lane / PANEL_COLS;
    const ow = ow0 + (lane % PANEL_COLS);
    const valid = oh < outH && ow < outW;
    if (valid) mask |= 1 << lane;
    // invalid lanes read lane 0's input (always valid) and are never stored
    store<i32>(scratch + LANE_IN + (<usize>lane << 2), valid ? oh * strideH * inRow + ow * strideW : oh0 * strideH * inRow + ow0 * strideW);
    store<i32>(scratch + LANE_OUT + (<usize>lane << 2), oh * outRow + ow);
  }
  store<i32>(scratch + VALID_MASK, mask);
  for (let quad = 0; quad < 4; quad++) {
    const full = ((mask >> (quad * 4)) & 15) === 15;
    const kind = full && strideW === 1 ? QUAD_CONTIGUOUS : full && strideW === 2 ? QUAD_STRIDE_2 : QUAD_GATHER;
    store<i32>(scratch + QUAD_KINDS + (<usize>quad << 2), kind);
  }
}

/** strip (outPerGroup rounded up to MR rows × NR) = W_group · X_panel over the full depth. */
function accumulateGroup(descriptor: usize, image: i32, group: i32, strip: usize, scratch: usize): void {
  const depth = word(descriptor, conv.D_DEPTH);
  const outPerGroup = word(descriptor, conv.D_OUT_PER_GROUP);
  const rowPanels = (outPerGroup + MR - 1) / MR;
  const inputBase = <usize>word(descriptor, conv.D_INPUT) + (
    (<usize>image * word(descriptor, conv.D_IN_IMAGE_STRIDE) +
      <usize>group * word(descriptor, conv.D_CHANNELS_PER_GROUP) * word(descriptor, conv.D_IN_PLANE_STRIDE)) << 2);
  const weights = <usize>word(descriptor, conv.D_WEIGHTS) + ((<usize>group * rowPanels * depth * MR) << 2);
  const offsets = <usize>word(descriptor, conv.D_K_OFFSETS);
  const packed = scratch + PACKED;
  for (let k0 = 0; k0 < depth; k0 += BLOCK_K) {
    const kc = min(BLOCK_K, depth - k0);
    packPanel(inputBase, offsets + (<usize>k0 << 2), kc, scratch, packed);
    for (let panel = 0; panel < rowPanels; panel++) {
      const panelA = weights + ((<usize>(panel * depth + k0) * MR) << 2);
      microKernel(kc, panelA, packed, strip + (<usize>panel * MR * NR << 2), k0 > 0);
    }
  }
}

/** packed (kc, NR) ← X[k0 .. k0 + kc, lanes]: per depth, the input at lane offset + k offset. */
function packPanel(base: usize, offsets: usize, kc: i32, scratch: usize, dst: usize): void {
  const kinds = scratch + QUAD_KINDS;
  const lanes = scratch + LANE_IN;
  const q0 = base + (<usize>load<i32>(lanes) << 2);
  const q1 = base + (<usize>load<i32>(lanes, 16) << 2);
  const q2 = base + (<usize>load<i32>(lanes, 32) << 2);
  const q3 = base + (<usize>load<i32>(lanes, 48) << 2);
  if ((load<i32>(kinds) | load<i32>(kinds, 4) | load<i32>(kinds, 8) | load<i32>(kinds, 12)) === QUAD_CONTIGUOUS) {
    for (let p = 0; p < kc; p++) {
      const offset = <usize>load<i32>(offsets + (<usize>p << 2)) << 2;
      v128.store(dst, v128.load(q0 + offset));
      v128.store(dst, v128.load(q1 + offset), 16);
      v128.store(dst, v128.load(q2 + offset), 32);
      v128.store(dst, v128.load(q3 + offset), 48);
      dst += 64;
    }
    return;
  }
  for (let quad = 0; quad < 4; quad++) {
    const kind = load<i32>(kinds + (<usize>quad << 2));
    const start = quad === 0 ? q0 : quad === 1 ? q1 : quad === 2 ? q2 : q3;
    packQuad(kind, start, base, lanes + (<usize>quad << 4), offsets, kc, dst + (<usize>quad << 4));
  }
}

/** One quad column of the packed panel (16 bytes every 64) for `kc` depths. */
function packQuad(kind: i32, start: usize, base: usize, lanes: usize, offsets: usize, kc: i32, dst: usize): void {
  if (kind === QUAD_CONTIGUOUS) {
    for (let p = 0; p < kc; p++) v128.store(dst + (<usize>p << 6), v128.load(start + (<usize>load<i32>(offsets + (<usize>p << 2)) << 2)));
  } else if (kind === QUAD_STRIDE_2) {
    for (let p = 0; p < kc; p++) {
      const at = start + (<usize>load<i32>(offsets + (<usize>p << 2)) << 2);
      v128.store(dst + (<usize>p << 6), i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6));
    }
  } else {
    const l0 = base + (<usize>load<i32>(lanes) << 2);
    const l1 = base + (<usize>load<i32>(lanes, 4) << 2);
    const l2 = base + (<usize>load<i32>(lanes, 8) << 2);
    const l3 = base + (<usize>load<i32>(lanes, 12) << 2);
    for (let p = 0; p < kc; p++) {
      const offset = <usize>load<i32>(offsets + (<usize>p << 2)) << 2;
      const target = dst + (<usize>p << 6);
      store<f32>(target, load<f32>(l0 + offset));
      store<f32>(target, load<f32>(l1 + offset), 4);
      store<f32>(target, load<f32>(l2 + offset), 8);
      store<f32>(target, load<f32>(l3 + offset), 12);
    }
  }
}

export function activate(value: v128, flags: i32, low: v128, high: v128): v128 {
  if (flags & conv.FLAG_RELU) return f32x4.pmax(value, f32x4.splat(0));
  if (flags & conv.FLAG_CLIP) return f32x4.pmin(f32x4.pmax(value, low), high);
  return value;
}

/** Bias, activation, optional 2 × 2 max pool; writes the group's channels of this panel. */
function epilogue(descriptor: usize, image: i32, group: i32, oh0: i32, ow0: i32, strip: usize, scratch: usize): void {
  const outPerGroup = word(descriptor, conv.D_OUT_PER_GROUP);
  const flags = word(descriptor, conv.D_FLAGS);
  const bias = <usize>word(descriptor, conv.D_BIAS);
  const low = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MIN)));
  const high = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MAX)));
  const planeStride = <usize>word(descriptor, conv.D_OUT_PLANE_STRIDE);
  const imageBase = <usize>word(descriptor, conv.D_OUTPUT) + ((<usize>image * word(descriptor, conv.D_OUT_IMAGE_STRIDE)) << 2);
  const pool = (flags & conv.FLAG_POOL) !== 0;
  const pooledValid = pool ? pooledLanes(descriptor, oh0, ow0) : 0;
  const pooledAt = pool ? ((oh0 / 2) * word(descriptor, conv.D_OUT_ROW_STRIDE) + ow0 / 2) : 0;
  for (let m = 0; m < outPerGroup; m++) {
    const channel = group * outPerGroup + m;
    const shift = f32x4.splat(bias === 0 ? 0 : load<f32>(bias + (<usize>channel << 2)));
    const row = strip + (<usize>m << 6);
    const out = imageBase + ((<usize>channel * planeStride) << 2);
    if (pool) {
      // vertical maxima of columns 0-3 and 4-7, then of horizontal pairs
      const left = f32x4.pmax(v128.load(row), v128.load(row, 32));
      const right = f32x4.pmax(v128.load(row, 16), v128.load(row, 48));
      const pooled = f32x4.pmax(i32x4.shuffle(left, right, 0, 2, 4, 6), i32x4.shuffle(left, right, 1, 3, 5, 7));
      storeLanes(activate(f32x4.add(pooled, shift), flags, low, high), out + (<usize>pooledAt << 2), pooledValid);
    } else {
      for (let quad = 0; quad < 4; quad++) {
        const value = activate(f32x4.add(v128.load(row + (<usize>quad << 4)), shift), flags, low, high);
        const valid = (load<i32>(scratch + VALID_MASK) >> (quad * 4)) & 15;
        storeLanes(value, out + (<usize>load<i32>(scratch + LANE_OUT + (<usize>quad << 4)) << 2), valid);
      }
    }
  }
}

/** Valid pooled outputs (bit mask of 4) of the panel at (oh0, ow0): floor-mode 2 × 2 / stride 2 windows. */
function pooledLanes(descriptor: usize, oh0: i32, ow0: i32): i32 {
  if (oh0 + 1 >= word(descriptor, conv.D_OUT_H)) return 0;
  const count = min(4, word(descriptor, conv.D_OUT_W) / 2 - ow0 / 2);
  return count <= 0 ? 0 : (1 << count) - 1;
}

/** Stores the lanes of `value` whose bit is set in `valid` at consecutive floats from `target`. */
export function storeLanes(value: v128, target: usize, valid: i32): void {
  if (valid === 15) {
    v128.store(target, value);
    return;
  }
  if (valid & 1) store<f32>(target, f32x4.extract_lane(value, 0));
  if (valid & 2) store<f32>(target, f32x4.extract_lane(value, 1), 4);
  if (valid & 4) store<f32>(target, f32x4.extract_lane(value, 2), 8);
  if (valid & 8) store<f32>(target, f32x4.extract_lane(value, 3), 12);
}

/** Zero-padding copy (pad job): planes of (height, width) → (paddedHeight, paddedWidth) at (top, left), optionally (x − sub) / div. */
export function padF32Job(source: usize, target: usize, plane0: i32, planes: i32, height: i32, width: i32, paddedHeight: i32, paddedWidth: i32, top: i32, left: i32, affine: bool, sub: f32, div: f32): void {
  const sourcePlane = <usize>height * width;
  const targetPlane = <usize>paddedHeight * paddedWidth;
  for (let plane = plane0; plane < plane0 + planes; plane++) {
    const from = source + ((<usize>plane * sourcePlane) << 2);
    const to = target + ((<usize>plane * targetPlane) << 2);
    memory.fill(to, 0, targetPlane << 2);
    for (let row = 0; row < height; row++) {
      const rowTarget = to + ((<usize>(row + top) * paddedWidth + left) << 2);
      const rowSource = from + ((<usize>row * width) << 2);
      if (affine) affineRow(rowSource, rowTarget, width, sub, div);
      else memory.copy(rowTarget, rowSource, <usize>width << 2);
    }
  }
}

/** target[i] = (source[i] − sub) / div for `count` floats (the same float32 operations as Sub then Div). */
function affineRow(source: usize, target: usize, count: i32, sub: f32, div: f32): void {
  const subs = f32x4.splat(sub);
  const divs = f32x4.splat(div);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(target + at, f32x4.div(f32x4.sub(v128.load(source + at), subs), divs));
  }
  for (; i < count; i++) store<f32>(target + (<usize>i << 2), (load<f32>(source + (<usize>i << 2)) - sub) / div);
}
