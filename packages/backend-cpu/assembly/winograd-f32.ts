// Float32 3 × 3 / stride 1 convolution by Winograd's minimal filtering F(2 × 2, 3 × 3) (Lavin &
// Gray 2015) in WebAssembly SIMD: each 2 × 2 output tile comes from a 4 × 4 input tile d as
// Y = Aᵀ [Σ_c U_c ⊙ V_c] A with V = Bᵀ d B and U = G g Gᵀ (host-computed), i.e. 16 GEMMs
// M_ξ (M × tiles) = U_ξ (M × C) · V_ξ (C × tiles), one per tile position ξ: 16 multiplies per
// 4 outputs instead of 36. Tiles are taken 4 at a time along a tile row ("quads", the lanes of
// one f32x4) and 4 quads make a panel of 16 tiles = the 16 columns of gemm-f32.ts's micro-tile.
// The epilogue adds the bias, applies ReLU / Clip and optionally the 2 × 2 / stride 2 max pool
// (one pool window = one tile). Descriptor: conv-layout.ts (strides / dilation / k offsets
// unused; the input is padded to at least 2 · tiles + 2 rows and columns, with slack after it).
// Packed U: per ξ, ceil(M / 2) panels of (C, 2). Every output sums in the same order whatever
// the job's panel range. Oracle: src/wasm/wasm-conv.test.ts.
import { activate, storeLanes } from './conv-f32';
import * as conv from './conv-layout';
import { MR, NR, microKernel } from './gemm-f32';

const ROWS_PER_BLOCK = 32; // output channels whose 16 accumulator strips are live at once
const STRIP_BYTES = ROWS_PER_BLOCK * NR * 4; // one ξ's strip of accumulators
const ROW_SCRATCH = 16 * STRIP_BYTES; // bytes into scratch A: 4 rows of d B (256 bytes)

function word(descriptor: usize, index: i32): i32 {
  return load<i32>(descriptor + (<usize>index << 2));
}

/** Computes panels [panel0, panel0 + panels) (16 tiles each) of the convolution at `descriptor`. */
export function winogradF32Job(descriptor: usize, panel0: i32, panels: i32, scratchA: usize, scratchB: usize): void {
  const tilesW = (word(descriptor, conv.D_OUT_W) + 1) >> 1;
  const quadsPerRow = (tilesW + 3) >> 2;
  const quadsPerImage = ((word(descriptor, conv.D_OUT_H) + 1) >> 1) * quadsPerRow;
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

/** V[ξ][c][quad lanes] = Bᵀ d B for the 4 tiles of the quad, every input channel c. */
function transformInput(descriptor: usize, image: i32, tileRow: i32, tileCol0: i32, quad: i32, v: usize, rows: usize): void {
  const channels = word(descriptor, conv.D_DEPTH);
  const plane = <usize>word(descriptor, conv.D_IN_PLANE_STRIDE) << 2;
  const rowBytes = <usize>word(descriptor, conv.D_IN_ROW_STRIDE) << 2;
  let source = <usize>word(descriptor, conv.D_INPUT) + ((<usize>image * word(descriptor, conv.D_IN_IMAGE_STRIDE) + <usize>(2 * tileCol0)) << 2) + <usize>(2 * tileRow) * rowBytes;
  const step = <usize>channels << 6; // bytes between the ξ planes of V
  let target = v + (<usize>quad << 4);
  for (let c = 0; c < channels; c++) {
    for (let r: usize = 0; r < 4; r++) rowTimesB(source + r * rowBytes, rows + (r << 6));
    // Bᵀ (d B), column j of the 4 rows: ξ = 4 i + j
    for (let j: usize = 0; j < 4; j++) {
      const w0 = v128.load(rows + (j << 4));
      const w1 = v128.load(rows + (j << 4), 64);
      const w2 = v128.load(rows + (j << 4), 128);
      const w3 = v128.load(rows + (j << 4), 192);
      const at = target + j * step;
      v128.store(at, f32x4.sub(w0, w2));
      v128.store(at + 4 * step, f32x4.add(w1, w2));
      v128.store(at + 8 * step, f32x4.sub(w2, w1));
      v128.store(at + 12 * step, f32x4.sub(w1, w3));
    }
    source += plane;
    target += 64;
  }
}

/**
 * One input row of the quad's 4 tiles (columns 2t .. 2t + 3 of tile t) times B: writes the four
 * vectors (d B)[0..3] (lanes = tiles) at `target`, 16 bytes apart.
 */
function rowTimesB(source: usize, target: usize): void {
  const v0 = v128.load(source);
  const v1 = v128.load(source, 16);
  const v2 = v128.load(source, 32);
  const d0 = i32x4.shuffle(v0, v1, 0, 2, 4, 6); // column 2t
  const d1 = i32x4.shuffle(v0, v1, 1, 3, 5, 7); // 2t + 1
  const d2 = i32x4.shuffle(d0, v2, 1, 2, 3, 4); // 2t + 2
  const d3 = i32x4.shuffle(d1, v2, 1, 2, 3, 5); // 2t + 3
  v128.store(target, f32x4.sub(d0, d2));
  v128.store(target, f32x4.add(d1, d2), 16);
  v128.store(target, f32x4.sub(d2, d1), 32);
  v128.store(target, f32x4.sub(d1, d3), 48);
}

/** strips[ξ][m − row0][16 tiles] = U_ξ[m, :] · V_ξ for the block's output channels. */
function multiplyBlock(descriptor: usize, row0: i32, rows: i32, strips: usize, v: usize): void {
  const channels = word(descriptor, conv.D_DEPTH);
  const rowPanels = (word(descriptor, conv.D_OUT_PER_GROUP) + MR - 1) / MR;
  const weights = <usize>word(descriptor, conv.D_WEIGHTS);
  const blockPanels = (rows + MR - 1) / MR;
  for (let xi = 0; xi < 16; xi++) {
    const panelB = v + ((<usize>xi * channels) << 6);
    for (let panel = 0; panel < blockPanels; panel++) {
      const panelA = weights + ((<usize>(xi * rowPanels + row0 / MR + panel) * channels * MR) << 2);
      microKernel(channels, panelA, panelB, strips + <usize>xi * STRIP_BYTES + ((<usize>panel * MR * NR) << 2));
    }
  }
}

/** Y = Aᵀ M A per tile of the quad, then bias, activation, optional pool, and the stores. */
function transformOutput(descriptor: usize, image: i32, tileRow: i32, tileCol0: i32, quad: i32, row0: i32, rows: i32, strips: usize): void {
  const outH = word(descriptor, conv.D_OUT_H);
  const outW = word(descriptor, conv.D_OUT_W);
  const flags = word(descriptor, conv.D_FLAGS);
  const bias = <usize>word(descriptor, conv.D_BIAS);
  const low = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MIN)));
  const high = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MAX)));
  const planeStride = <usize>word(descriptor, conv.D_OUT_PLANE_STRIDE);
  const rowStride = <usize>word(descriptor, conv.D_OUT_ROW_STRIDE);
  const imageBase = <usize>word(descriptor, conv.D_OUTPUT) + ((<usize>image * word(descriptor, conv.D_OUT_IMAGE_STRIDE)) << 2);
  const pool = (flags & conv.FLAG_POOL) !== 0;
  for (let local = 0; local < rows; local++) {
    const channel = row0 + local;
    const at = strips + ((<usize>local * NR) << 2) + (<usize>quad << 4);
    // rows of Aᵀ M (M_ξ at strip ξ): s0j = M0j + M1j + M2j, s1j = M1j − M2j − M3j
    const s00 = sumRows(at, 0), s01 = sumRows(at, 1), s02 = sumRows(at, 2), s03 = sumRows(at, 3);
    const s10 = differenceRows(at, 0), s11 = differenceRows(at, 1), s12 = differenceRows(at, 2), s13 = differenceRows(at, 3);
    const shift = f32x4.splat(bias === 0 ? 0 : load<f32>(bias + (<usize>channel << 2)));
    const y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), shift);
    const y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), shift);
    const y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), shift);
    const y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), shift);
    const out = imageBase + ((<usize>channel * planeStride) << 2);
    if (pool) {
      // one pool window per tile; activations are monotone, so pool first
      const pooled = activate(f32x4.pmax(f32x4.pmax(y00, y01), f32x4.pmax(y10, y11)), flags, low, high);
      const valid = tileRow < outH >> 1 ? laneMask(outW / 2 - tileCol0) : 0;
      storeLanes(pooled, out + ((<usize>tileRow * rowStride + tileCol0) << 2), valid);
      continue;
    }
    const columns = outW - 2 * tileCol0; // valid output columns from 2 · tileCol0
    storeRow(activate(y00, flags, low, high), activate(y01, flags, low, high), out + ((<usize>(2 * tileRow) * rowStride + 2 * tileCol0) << 2), columns);
    if (2 * tileRow + 1 < outH) {
      storeRow(activate(y10, flags, low, high), activate(y11, flags, low, high), out + ((<usize>(2 * tileRow + 1) * rowStride + 2 * tileCol0) << 2), columns);
    }
  }
}

function sumRows(at: usize, j: i32): v128 {
  const m0 = v128.load(at + <usize>j * STRIP_BYTES);
  const m1 = v128.load(at + <usize>(4 + j) * STRIP_BYTES);
  const m2 = v128.load(at + <usize>(8 + j) * STRIP_BYTES);
  return f32x4.add(f32x4.add(m0, m1), m2);
}

function differenceRows(at: usize, j: i32): v128 {
  const m1 = v128.load(at + <usize>(4 + j) * STRIP_BYTES);
  const m2 = v128.load(at + <usize>(8 + j) * STRIP_BYTES);
  const m3 = v128.load(at + <usize>(12 + j) * STRIP_BYTES);
  return f32x4.sub(f32x4.sub(m1, m2), m3);
}

/** Bits of the first `count` (clamped to 0..4) lanes. */
function laneMask(count: i32): i32 {
  return count <= 0 ? 0 : count >= 4 ? 15 : (1 << count) - 1;
}

/** Interleaves the tiles' left and right columns into 8 consecutive outputs; stores `columns` of them. */
function storeRow(left: v128, right: v128, target: usize, columns: i32): void {
  storeLanes(i32x4.shuffle(left, right, 0, 4, 1, 5), target, laneMask(columns));
  storeLanes(i32x4.shuffle(left, right, 2, 6, 3, 7), target + 16, laneMask(columns - 4));
}
