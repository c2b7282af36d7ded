// Job kinds and slot words of the batch-normalization training jobs; mirrors
// assembly/batch-norm-train-layout.ts (the module reads the same words) — see there.
export const JOB_BN_FORWARD = 36; // panels = channels: statistics, then Y
export const JOB_BN_BACKWARD = 37; // panels = channels: gradient sums, then dX
export const JOB_RELU_GRAD = 38; // elementwise-train-f32.ts: dX = X > 0 ? dY : 0 over an element range
export const JOB_MAX_POOL_GRAD = 39; // elementwise-train-f32.ts: 2 × 2 / stride-2 MaxPoolGrad over planes (WORD_BATCH = height, WORD_INNER = width)
export const JOB_RELU = 40; // elementwise-train-f32.ts: y = X > 0 ? X : 0 over an element range
export const JOB_MAX_POOL = 41; // elementwise-train-f32.ts: 2 × 2 / stride-2 MaxPool values over planes

export const WORD_X = 3; // byte address of X
export const WORD_GRADIENT = 4; // backward: byte address of dY
export const WORD_OUTPUT = 5; // byte address of Y (forward) or dX (backward)
export const WORD_BATCH = 6;
export const WORD_CHANNELS = 7;
export const WORD_INNER = 8; // elements per (image, channel) plane
export const WORD_SCALE = 9; // byte address of scale (C)
export const WORD_SHIFT = 10; // forward: byte address of B (C); backward: of the batch mean (C)
export const WORD_VARIANCE = 11; // backward: byte address of the batch variance (C)
export const WORD_FIRST = 12; // byte address of the first per-channel result: mean (forward) or dScale (backward)
export const WORD_SECOND = 13; // byte address of the second: biased variance (forward) or dB (backward)
export const WORD_EPSILON = 14; // byte address of ε as an f64
export const WORD_COUNTER = 15; // byte address of the shared panel counter (own cache line)
export const WORD_CHUNK = 16; // panels taken at a time
export const WORD_FIRST_ELEMENT = 17; // ReluGrad: this job's element range; MaxPoolGrad: its plane range
export const WORD_ELEMENTS = 18;
