// Float32 depthwise convolution (one input channel per group, any channel multiplier, kernel
// size, stride and dilation) in WebAssembly SIMD, computed directly: each output row is swept
// 16 columns at a time (four f32x4 accumulators, so the multiply-add chains overlap), summing
// weight × input over the kernel taps from the zero-padded input (pad-f32 job). Epilogue: bias,
// ReLU / Clip (no pooling: the host uses the implicit GEMM for a fused pool). Panels are output
// planes (image, channel); results do not depend on the thread count. Descriptor:
// conv-layout.ts (D_GROUPS = input channels, D_OUT_PER_GROUP = multiplier, weights as stored
// (M, 1, kH, kW)). Oracle: src/wasm/wasm-conv.test.ts.
import { activate, storeLanes } from './conv-f32';
import { madd } from './gemm-f32';
import * as conv from './conv-layout';

function word(descriptor: usize, index: i32): i32 {
  return load<i32>(descriptor + (<usize>index << 2));
}

/** Output planes [plane0, plane0 + planes) (plane = image · M + channel); `sums`: 64 bytes of thread scratch. */
export function depthwiseF32Job(descriptor: usize, plane0: i32, planes: i32, sums: usize): void {
  const outputs = word(descriptor, conv.D_GROUPS) * word(descriptor, conv.D_OUT_PER_GROUP);
  for (let plane = plane0; plane < plane0 + planes; plane++) {
    const image = plane / outputs;
    const channel = plane % outputs;
    const outH = word(descriptor, conv.D_OUT_H);
    for (let oh = 0; oh < outH; oh++) outputRow(descriptor, image, channel, oh, sums);
  }
}

/** Loads the 4 inputs of a quad: stride 1 contiguous, stride 2 even lanes of 8, else gathered. */
function loadQuad(at: usize, strideW: i32): v128 {
  if (strideW === 1) return v128.load(at);
  if (strideW === 2) return i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
  const step = <usize>strideW << 2;
  let value = f32x4.splat(load<f32>(at));
  value = f32x4.replace_lane(value, 1, load<f32>(at + step));
  value = f32x4.replace_lane(value, 2, load<f32>(at + 2 * step));
  return f32x4.replace_lane(value, 3, load<f32>(at + 3 * step));
}

function outputRow(descriptor: usize, image: i32, channel: i32, oh: i32, sums: usize): void {
  const outW = word(descriptor, conv.D_OUT_W);
  const strideW = word(descriptor, conv.D_STRIDE_W);
  const kernelH = word(descriptor, conv.D_KERNEL_H);
  const kernelW = word(descriptor, conv.D_KERNEL_W);
  const rowBytes = <usize>word(descriptor, conv.D_IN_ROW_STRIDE) << 2;
  const tapStep = <usize>word(descriptor, conv.D_DILATION_W) << 2;
  const rowStep = <usize>word(descriptor, conv.D_DILATION_H) * rowBytes;
  const quadStep = <usize>strideW << 4; // bytes between the inputs of consecutive quads
  const inputChannel = channel / word(descriptor, conv.D_OUT_PER_GROUP);
  const inputRow = <usize>word(descriptor, conv.D_INPUT) +
    ((<usize>image * word(descriptor, conv.D_IN_IMAGE_STRIDE) + <usize>inputChannel * word(descriptor, conv.D_IN_PLANE_STRIDE)) << 2) +
    <usize>(oh * word(descriptor, conv.D_STRIDE_H)) * rowBytes;
  const weights = <usize>word(descriptor, conv.D_WEIGHTS) + ((<usize>channel * kernelH * kernelW) << 2);
  const bias = <usize>word(descriptor, conv.D_BIAS);
  const shift = f32x4.splat(bias === 0 ? 0 : load<f32>(bias + (<usize>channel << 2)));
  const flags = word(descriptor, conv.D_FLAGS);
  const low = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MIN)));
  const high = f32x4.splat(reinterpret<f32>(word(descriptor, conv.D_CLIP_MAX)));
  const out = <usize>word(descriptor, conv.D_OUTPUT) +
    ((<usize>image * word(descriptor, conv.D_OUT_IMAGE_STRIDE) + <usize>channel * word(descriptor, conv.D_OUT_PLANE_STRIDE) + <usize>oh * word(descriptor, conv.D_OUT_ROW_STRIDE)) << 2);
  for (let ow0 = 0; ow0 < outW; ow0 += 16) {
    const row = inputRow + <usize>(ow0 * strideW) * 4;
    if (strideW === 1) sumContiguous(row, weights, kernelH, kernelW, tapStep, rowStep, sums);
    else sumStrided(row, weights, kernelH, kernelW, tapStep, rowStep, strideW, quadStep, sums);
    const target = out + (<usize>ow0 << 2);
    const left = outW - ow0;
    storeLanes(activate(f32x4.add(v128.load(sums), shift), flags, low, high), target, laneMask(left));
    storeLanes(activate(f32x4.add(v128.load(sums, 16), shift), flags, low, high), target + 16, laneMask(left - 4));
    storeLanes(activate(f32x4.add(v128.load(sums, 32), shift), flags, low, high), target + 32, laneMask(left - 8));
    storeLanes(activate(f32x4.add(v128.load(sums, 48), shift), flags, low, high), target + 48, laneMask(left - 12));
  }
}

/** Stride 1: 16 outputs' sums over the taps with plain quad loads (no branch in the hot loop). */
function sumContiguous(row: usize, tap: usize, kernelH: i32, kernelW: i32, tapStep: usize, rowStep: usize, sums: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let at = row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, v128.load(at), a0);
      a1 = madd(w, v128.load(at, 16), a1);
      a2 = madd(w, v128.load(at, 32), a2);
      a3 = madd(w, v128.load(at, 48), a3);
      at += tapStep;
      tap += 4;
    }
    row += rowStep;
  }
  storeSums(sums, a0, a1, a2, a3);
}

/** Other strides: quads gathered by loadQuad. */
function sumStrided(row: usize, tap: usize, kernelH: i32, kernelW: i32, tapStep: usize, rowStep: usize, strideW: i32, quadStep: usize, sums: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let kh = 0; kh < kernelH; kh++) {
    let at = row;
    for (let kw = 0; kw < kernelW; kw++) {
      const w = v128.load32_splat(tap);
      a0 = madd(w, loadQuad(at, strideW), a0);
      a1 = madd(w, loadQuad(at + quadStep, strideW), a1);
      a2 = madd(w, loadQuad(at + 2 * quadStep, strideW), a2);
      a3 = madd(w, loadQuad(at + 3 * quadStep, strideW), a3);
      at += tapStep;
      tap += 4;
    }
    row += rowStep;
  }
  storeSums(sums, a0, a1, a2, a3);
}

function storeSums(sums: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  v128.store(sums, a0);
  v128.store(sums, a1, 16);
  v128.store(sums, a2, 32);
  v128.store(sums, a3, 48);
}

function laneMask(count: i32): i32 {
  return count <= 0 ? 0 : count >= 4 ? 15 : (1 << count) - 1;
}
