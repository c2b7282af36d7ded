// Small SIMD helpers of the training kernels: descriptor words, strided quad loads, masked quad
// stores and the four-accumulator spill.

export function word(address: usize, index: i32): i32 {
  return load<i32>(address + (<usize>index << 2));
}

/** Four input lanes: stride 1 contiguous, stride 2 the even lanes of eight, else gathered. */
export function loadQuad(at: usize, strideW: i32): v128 {
  if (strideW === 1) return v128.load(at);
  if (strideW === 2) return i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
  const step = <usize>strideW << 2;
  let value = f32x4.splat(load<f32>(at));
  value = f32x4.replace_lane(value, 1, load<f32>(at + step));
  value = f32x4.replace_lane(value, 2, load<f32>(at + 2 * step));
  return f32x4.replace_lane(value, 3, load<f32>(at + 3 * step));
}

/** Lanes [0, count) of a quad (count clipped to 0-4) as a store mask. */
export function laneMask(count: i32): i32 {
  return count <= 0 ? 0 : count >= 4 ? 15 : (1 << count) - 1;
}

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

export function storeSums(sums: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  v128.store(sums, a0);
  v128.store(sums, a1, 16);
  v128.store(sums, a2, 32);
  v128.store(sums, a3, 48);
}

export function horizontalSum(value: v128): f32 {
  return (f32x4.extract_lane(value, 0) + f32x4.extract_lane(value, 1)) + (f32x4.extract_lane(value, 2) + f32x4.extract_lane(value, 3));
}
