// Job kind and words of the 8-bit quantized convolution (conv-int8.ts). A job slot points at a
// descriptor (int32 words written once by the host, shared by every thread of the run); the
// threads take work units (images, or panels of 8 images in dense mode) from the descriptor's
// counter. Slot words 0-2 (sequence, done, kind) and 21-22 / 31 (thread pool) keep their
// job-layout.ts meaning. Keep in sync with src/wasm/int8-conv-layout.ts.
export const JOB_INT8_CONV = 24;

// slot words
export const WORD_DESCRIPTOR = 3; // byte address of the descriptor
export const WORD_SCRATCH_A = 18; // this thread's packed-input panel (pairs · 32 bytes)
export const WORD_SCRATCH_B = 19; // this thread's padded int16 image (dense mode: unused)

// descriptor words
export const D_INPUT = 0; // byte address of x: (N, C, H, W) uint8 / int8
export const D_IN_SIGNED = 1; // 1: x is int8
export const D_X_ZERO = 2; // x zero point (subtracted while widening to int16)
export const D_CHANNELS = 3; // C
export const D_IN_H = 4;
export const D_IN_W = 5;
export const D_PAD_TOP = 6;
export const D_PAD_LEFT = 7;
export const D_PADDED_H = 8; // rows / columns of the padded int16 planes the kernel reads
export const D_PADDED_W = 9;
export const D_STRIDE_H = 10;
export const D_STRIDE_W = 11;
export const D_OUT_H = 12;
export const D_OUT_W = 13;
export const D_OUT_CHANNELS = 14; // M
export const D_DEPTH = 15; // K = C · kH · kW
export const D_K_OFFSETS = 16; // byte address of K int32 element offsets into the padded planes (c · Hp · Wp + kh · dH · Wp + kw · dW)
export const D_WEIGHTS = 17; // byte address of the packed weights: per 4 output channels, per depth pair, 4 int32 = int16 pairs (w − w_zero)
export const D_BIAS = 18; // byte address of int32 bias per output channel (rounded up to 4 channels)
export const D_MULTIPLIERS = 19; // byte address of f64 x_scale · w_scale[m] / y_scale per output channel (rounded up to 4)
export const D_Y_ZERO = 20;
export const D_OUT_SIGNED = 21; // 1: y is int8
export const D_OUTPUT = 22; // byte address of y: (N, M, outH, outW)
export const D_BATCH = 23; // N
export const D_MODE = 24; // MODE_* below
export const D_NEXT_UNIT = 25; // shared counter: threads take work units by atomic add
export const D_SMALL_PRODUCTS = 26; // 1: |(Σ + bias) · multiplier| < 2^31 for every possible sum (cheaper rounding)
export const DESCRIPTOR_WORDS = 27;

export const MODE_CONV = 0; // work unit = one image; lanes = 8 output columns of one output row
export const MODE_DENSE = 1; // 1 × 1 kernel over 1 × 1 images (a fully connected layer): unit = 8 images = the lanes

// 2 × 2 / stride-2 max pool of 8-bit planes (pool-int8.ts): slot words of one job (planes
// [plane0, plane0 + planes) of (inH, inW) → (outH, outW), outH · 2 ≤ inH, outW · 2 ≤ inW)
export const JOB_INT8_MAX_POOL = 25;
export const WORD_POOL_INPUT = 3; // byte address of plane 0
export const WORD_POOL_OUTPUT = 4;
export const WORD_POOL_PLANE0 = 5;
export const WORD_POOL_PLANES = 6;
export const WORD_POOL_IN_H = 7;
export const WORD_POOL_IN_W = 8;
export const WORD_POOL_OUT_H = 9;
export const WORD_POOL_OUT_W = 10;
export const WORD_POOL_SIGNED = 11; // 1: int8 (signed maximum)
export const WORD_POOL_DONE = 12; // set to 1 by the module when the job is done (the host checks that the module knows the job)
