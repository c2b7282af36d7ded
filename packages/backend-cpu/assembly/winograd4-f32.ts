// Float32 3 × 3 / stride 1 convolution by Winograd's minimal filtering F(4 × 4, 3 × 3) (Lavin &
// Gray 2015, interpolation points 0, ±1, ±2): each 4 × 4 output tile comes from a 6 × 6 input
// tile d as Y = Aᵀ [Σ_c U_c ⊙ V_c] A with V = Bᵀ d B and U = G g Gᵀ (host-computed): 36 GEMMs
// M_ξ (M × tiles) = U_ξ (M × C) · V_ξ (C × tiles), 36 multiplies per 16 outputs instead of 144
// (F(2 × 2, 3 × 3) in winograd-f32.ts needs 64). Same organization as winograd-f32.ts: quads of
// 4 tiles along a tile row are the lanes, 4 quads a panel of 16 tiles = the 16 columns of
// gemm-f32.ts's micro-tile; the epilogue adds the bias, applies ReLU / Clip and optionally the
// 2 × 2 / stride 2 max pool (a tile holds 2 × 2 pool windows). The input is padded to at least
// 4 · tiles + 2 rows and columns, with slack after it. Packed U: per ξ = 6 i + j, ceil(M / 2)
// panels of (C, 2). Oracle: src/wasm/wasm-conv.test.ts.
import { activate, storeLanes } from './conv-f32';
import * as conv from './conv-layout';
import { MR, NR, microKernel } from './gemm-f32';

const ROWS_PER_BLOCK = 8; // output channels whose 36 accumulator strips are live at once
const STRIP_BYTES = ROWS_PER_BLOCK * NR * 4; // one ξ's strip of accumulators
const ROW_SCRATCH = 36 * STRIP_BYTES; // bytes into scratch A: 6 × 6 vectors of partial transforms

function word(descriptor: usize, index: i32): i32 {
  return load<i32>(descriptor + (<usize>index << 2));
}

/** Computes panels [panel0, panel0 + panels) (16 tiles each) of the convolution at `descriptor`. */
export function winograd4F32Job(descriptor: usize, panel0: i32, panels: i32, scratchA: usize, scratchB: usize): void {
  const tilesW = (word(descriptor, conv.D_OUT_W) + 3) >> 2;
  const quadsPerRow = (tilesW + 3) >> 2;
  const quadsPerImage = ((word(descriptor, conv.D_OUT_H) + 3) >> 2) * quadsPerRow;
  const quads = quadsPerImage * word(descriptor, conv.D_BATCH);
  const outputs = word(descriptor, conv.D_OUT_PER_GROUP);
  for (let panel = panel0; panel < panel0 + panels; panel++) {
    for (let quad = 0; quad < 4; quad++) {
      const index = panel * 4 + quad;
      if (index >= quads) break;
      const within = index % quadsPerImage;
      transformInput(descriptor, index / quadsPerImage, within / quadsPerRow, (within % quadsPerRow) << 2, quad, scratchB, scratchA + ROW_SCRATCH);
    }
    for (let row0 = 0; row0 < outputs; row0 += ROWS_PER_BLOCK) {
      const rows = min(ROWS_PER_BLOCK, outputs - row0);
      multiplyBlock(descriptor, row0, rows, scratchA, scratchB);
      for (let quad = 0; quad < 4; quad++) {
        const index = panel * 4 + quad;
        if (index >= quads) break;
        const within = index % quadsPerImage;
        transformOutput(descriptor, index / quadsPerImage, within / quadsPerRow, (within % quadsPerRow) << 2, quad, row0, rows, scratchA);
      }
    }
  }
}

const FOUR = f32x4.splat(4);
const FIVE = f32x4.splat(5);
const TWO = f32x4.splat(2);
const EIGHT = f32x4.splat(8);

/** The six outputs of Bᵀ applied to (x0 … x5) (one row or column of a 6 × 6 tile, lanes = tiles). */
function transformSix(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, target: usize, stride: usize): void {
  const a = f32x4.sub(x4, f32x4.mul(FOUR, x2)); // x4 − 4 x2
  const b = f32x4.sub(x3, f32x4.mul(FOUR, x1)); // x3 − 4 x1
  const c = f32x4.sub(x4, x2);
  const d = f32x4.mul(TWO, f32x4.sub(x3, x1));
  v128.store(target, f32x4.add(f32x4.sub(f32x4.mul(FOUR, x0), f32x4.mul(FIVE, x2)), x4));
  v128.store(target + stride, f32x4.add(a, b));
  v128.store(target + 2 * stride, f32x4.sub(a, b));
  v128.store(target + 3 * stride, f32x4.add(c, d));
  v128.store(target + 4 * stride, f32x4.sub(c, d));
  v128.store(target + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(FOUR, x1), f32x4.mul(FIVE, x3)), x5));
}

/** V[ξ][c][quad lanes] = Bᵀ d B for the 4 tiles of the quad, every input channel c. */
function transformInput(descriptor: usize, image: i32, tileRow: i32, tileCol0: i32, quad: i32, v: usize, rows: usize): void {
  const channels = word(descriptor, conv.D_DEPTH);
  const plane = <usize>word(descriptor, conv.D_IN_PLANE_STRIDE) << 2;
  const rowBytes = <usize>word(descriptor, conv.D_IN_ROW_STRIDE) << 2;
  let source = <usize>word(descriptor, conv.D_INPUT) + ((<usize>image * word(descriptor, conv.D_IN_IMAGE_STRIDE) + <usize>(4 * tileCol0)) << 2) + <usize>(4 * tileRow) * rowBytes;
  const step = <usize>channels << 6; // bytes between the ξ planes of V
  let target = v + (<usize>quad << 4);
  for (let c = 0; c < channels; c++) {
    // d B per input row r: rows scratch [r][j] (96 bytes per row)
    for (let r: usize = 0; r < 6; r++) rowTimesB(source + r * rowBytes, rows + r * 96);
    // Bᵀ (d B), column j: V[6 i + j]
    for (let j: usize = 0; j < 6; j++) {
      const at = rows + (j << 4);
      transformSix(v128.load(at), v128.load(at, 96), v128.load(at, 192), v128.load(at, 288), v128.load(at, 384), v128.load(at, 480), target + j * step, 6 * step);
    }
    source += plane;
    target += 64;
  }
}

/** One input row of the quad's 4 tiles (columns 4t .. 4t + 5 of tile t) times B: 6 vectors at `target`. */
function rowTimesB(source: usize, target: usize): void {
  const v0 = v128.load(source);
  const v1 = v128.load(source, 16);
  const v2 = v128.load(source, 32);
  const v3 = v128.load(source, 48);
  const v4 = v128.load(source, 64);
  // transpose: column j of tile t = element 4t + j
  const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  const d0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
  const d1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
  const d2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
  const d3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
  const d4 = i32x4.shuffle(d0, v4, 1, 2, 3, 4); // 4t + 4 = column 0 of the next tile
  const d5 = i32x4.shuffle(d1, v4, 1, 2, 3, 5);
  transformSix(d0, d1, d2, d3, d4, d5, target, 16);
}

/** strips[ξ][m − row0][16 tiles] = U_ξ[m, :] · V_ξ for the block's output channels. */
function multiplyBlock(descriptor: usize, row0: i32, rows: i32, strips: usize, v: usize): void {
  const channels = word(descriptor, conv.D_DEPTH);
  const rowPanels = (word(descriptor, conv.D_OUT_PER_GROUP) + MR - 1) / MR;
  const weights = <usize>word(descriptor, conv.D_WEIGHTS);
  const blockPanels = (rows + MR - 1) / MR;
  for (let xi = 0; xi < 36; xi++) {
    const panelB = v + ((<usize>xi * channels) << 6);
    for (let panel = 0; panel < blockPanels; panel++) {
      const panelA = weights + ((<usize>(xi * rowPanels + row0 / MR + panel) * channels * MR) << 2);
      microKernel(channels, panelA, panelB, strips + <usize>xi * STRIP_BYTES + ((<usize>panel * MR * NR) << 2));
    }
  }
}

/** The four outputs of Aᵀ applied to (m0 … m5), stored `stride` bytes apart from `target`. */
function inverseSix(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, target: usize, stride: usize): void {
  const t1 = f32x4.add(m1, m2);
  const t2 = f32x4.sub(m1, m2);
  const t3 = f32x4.add(m3, m4);
  const t4 = f32x4.sub(m3, m4);
  v128.store(target, f32x4.add(f32x4.add(m0, t1), t3));
  v128.store(target + stride, f32x4.add(t2, f32x4.mul(TWO, t4)));
  v128.store(target + 2 * stride, f32x4.add(t1, f32x4.mul(FOUR, t3)));
  v128.store(target + 3 * stride, f32x4.add(f32x4.add(t2, f32x4.mul(EIGHT, t4)), m5));
}

/** Y = Aᵀ M A per tile of the quad (into the row scratch), then bias, activation, optional pool, stores. */
function transformOutput(descriptor: usize, image: i32, tileRow: i32, tileCol0: i32, quad: i32, row0: i32, rows: i32, strips: usize): void {
  const scratch = strips + ROW_SCRATCH; // s[a][j] at + (a · 6 + j) · 16, then Y[a][b] at + 384 + (a · 4 + b) · 16
  const bias = <usize>word(descriptor, conv.D_BIAS);
  for (let local = 0; local < rows; local++) {
    const at = strips + ((<usize>local * NR) << 2) + (<usize>quad << 4);
    for (let j: usize = 0; j < 6; j++) {
      const m = at + j * STRIP_BYTES; // ξ = 6 i + j
      inverseSix(v128.load(m), v128.load(m + 6 * STRIP_BYTES), v128.load(m + 12 * STRIP_BYTES), v128.load(m + 18 * STRIP_BYTES),
        v128.load(m + 24 * STRIP_BYTES), v128.load(m + 30 * STRIP_BYTES), scratch + (j << 4), 96);
    }
    for (let a: usize = 0; a < 4; a++) {
      const s = scratch + a * 96;
      inverseSix(v128.load(s), v128.load(s, 16), v128.load(s, 32), v128.load(s, 48), v128.load(s, 64), v128.load(s, 80), scratch + 384 + (a << 6), 16);
    }
    const channel = row0 + <i32>local;
    const shift = f32x4.splat(bias === 0 ? 0 : load<f32>(bias + (<usize>channel << 2)));
    storeTile(descriptor, image, tileRow, tileCol0, channel, scratch + 384, shift);
  }
}

/** Writes the quad's 4 × 4 tiles Y[a][b] (lanes = tiles) of one channel, pooled or not. */
function storeTile(descriptor: usize, image: i32, tileRow: i32, tileCol0: i32, channel: i32, y: usize, shift: v128): void {
  const outH = word(descriptor, conv.D_OUT_H);
  const outW = word(descriptor, conv.D_OUT_W);
  const flags = word(descriptor, conv.D_FLAGS);
  const low = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MIN)));
  const high = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MAX)));
  const rowStride = <usize>word(descriptor, conv.D_OUT_ROW_STRIDE);
  const out = <usize>word(descriptor, conv.D_OUTPUT) +
    ((<usize>image * word(descriptor, conv.D_OUT_IMAGE_STRIDE) + <usize>channel * word(descriptor, conv.D_OUT_PLANE_STRIDE)) << 2);
  if (flags & conv.FLAG_POOL) {
    // 2 × 2 windows inside each tile; activations are monotone, so pool first
    for (let p = 0; p < 2; p++) {
      const top = y + (<usize>(2 * p) << 6);
      const left = f32x4.pmax(f32x4.pmax(v128.load(top), v128.load(top, 16)), f32x4.pmax(v128.load(top, 64), v128.load(top, 80)));
      const right = f32x4.pmax(f32x4.pmax(v128.load(top, 32), v128.load(top, 48)), f32x4.pmax(v128.load(top, 96), v128.load(top, 112)));
      const row = 2 * tileRow + p;
      if (row >= outH >> 1) break;
      const target = out + ((<usize>row * rowStride + <usize>(2 * tileCol0)) << 2);
      storeInterleaved(activate(f32x4.add(left, shift), flags, low, high), activate(f32x4.add(right, shift), flags, low, high), target, (outW >> 1) - 2 * tileCol0);
    }
    return;
  }
  const columns = outW - 4 * tileCol0; // valid output columns from 4 · tileCol0
  for (let a = 0; a < 4; a++) {
    const row = 4 * tileRow + a;
    if (row >= outH) break;
    const ya = y + (<usize>a << 6);
    const y0 = activate(f32x4.add(v128.load(ya), shift), flags, low, high);
    const y1 = activate(f32x4.add(v128.load(ya, 16), shift), flags, low, high);
    const y2 = activate(f32x4.add(v128.load(ya, 32), shift), flags, low, high);
    const y3 = activate(f32x4.add(v128.load(ya, 48), shift), flags, low, high);
    // transpose: vector t = the 4 columns of tile t
    const t0 = i32x4.shuffle(y0, y1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(y2, y3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(y0, y1, 2, 6, 3, 7);
    const t3 = i32x4.shuffle(y2, y3, 2, 6, 3, 7);
    const target = out + ((<usize>row * rowStride + <usize>(4 * tileCol0)) << 2);
    storeLanes(i32x4.shuffle(t0, t1, 0, 1, 4, 5), target, laneMask(columns));
    storeLanes(i32x4.shuffle(t0, t1, 2, 3, 6, 7), target + 16, laneMask(columns - 4));
    storeLanes(i32x4.shuffle(t2, t3, 0, 1, 4, 5), target + 32, laneMask(columns - 8));
    storeLanes(i32x4.shuffle(t2, t3, 2, 3, 6, 7), target + 48, laneMask(columns - 12));
  }
}

/** Bits of the first `count` (clamped to 0..4) lanes. */
function laneMask(count: i32): i32 {
  return count <= 0 ? 0 : count >= 4 ? 15 : (1 << count) - 1;
}

/** Interleaves two vectors into 8 consecutive outputs; stores the first `columns` of them. */
function storeInterleaved(first: v128, second: v128, target: usize, columns: i32): void {
  storeLanes(i32x4.shuffle(first, second, 0, 4, 1, 5), target, laneMask(columns));
  storeLanes(i32x4.shuffle(first, second, 2, 6, 3, 7), target + 16, laneMask(columns - 4));
}
