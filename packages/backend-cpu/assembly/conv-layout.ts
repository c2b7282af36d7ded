// Job kinds and words of the float32 convolution / padding jobs (conv-f32.ts, pad-f32.ts). A conv
// job slot points at a descriptor (int32 words, written once by the host and shared by all
// threads) and names the range of output panels it computes. Slot words 0-2 (sequence, done,
// kind) and 21-22 (thread pool) keep their job-layout.ts meaning; kinds 8-15 belong to these
// jobs. Keep in sync with src/wasm/conv-layout.ts.
export const JOB_F32_CONV = 8;
export const JOB_F32_PAD = 9;
export const JOB_F32_WINOGRAD = 10; // same descriptor; panels of 16 tiles (winograd-f32.ts)
export const JOB_F32_DEPTHWISE = 11; // same descriptor; panels = output planes (depthwise-f32.ts)
export const JOB_F32_WINOGRAD4 = 12; // same descriptor; panels of 16 tiles (winograd4-f32.ts)

// conv job slot words
export const WORD_DESCRIPTOR = 3; // byte address of the descriptor below
export const WORD_PANEL0 = 4; // the jobs of one run share panels [panel0, panel0 + panels)
export const WORD_PANELS = 5;
export const WORD_CHUNK = 7; // panels taken at a time from the shared counter (D_NEXT_PANEL)
export const WORD_SCRATCH_A = 18; // byte addresses of this thread's scratch (as job-layout.ts)
export const WORD_SCRATCH_B = 19;

// conv descriptor words. The input is already padded (pad-f32.ts): the kernel computes a VALID
// convolution. Strides in elements. A panel is a 2 × 8 patch of output positions of one image.
export const D_INPUT = 0; // byte address of image 0, channel 0 of the padded input
export const D_IN_IMAGE_STRIDE = 1;
export const D_IN_PLANE_STRIDE = 2;
export const D_IN_ROW_STRIDE = 3;
export const D_CHANNELS_PER_GROUP = 4;
export const D_STRIDE_H = 5;
export const D_STRIDE_W = 6;
export const D_OUT_H = 7; // convolution output height / width (before pooling)
export const D_OUT_W = 8;
export const D_GROUPS = 9;
export const D_OUT_PER_GROUP = 10;
export const D_DEPTH = 11; // K = channelsPerGroup · kH · kW
export const D_K_OFFSETS = 12; // byte address of K int32 input offsets (c · plane + kh · dH · row + kw · dW)
export const D_WEIGHTS = 13; // byte address of the packed weights (see conv-f32.ts)
export const D_BIAS = 14; // byte address of one f32 per output channel, 0 = none
export const D_FLAGS = 15; // FLAG_* below
export const D_CLIP_MIN = 16; // f32 bits (FLAG_CLIP)
export const D_CLIP_MAX = 17;
export const D_OUTPUT = 18; // byte address of the output (image 0, channel 0, row 0, column 0)
export const D_OUT_IMAGE_STRIDE = 19;
export const D_OUT_PLANE_STRIDE = 20;
export const D_OUT_ROW_STRIDE = 21;
export const D_BATCH = 22; // images
export const D_KERNEL_H = 23; // depthwise jobs: kernel size and dilations (the others use D_K_OFFSETS)
export const D_KERNEL_W = 24;
export const D_DILATION_H = 25;
export const D_DILATION_W = 26;
export const D_NEXT_PANEL = 27; // shared counter: the threads take panels [n, n + chunk) by atomic add
export const DESCRIPTOR_WORDS = 28;

export const FLAG_RELU = 1;
export const FLAG_CLIP = 2;
export const FLAG_POOL = 4; // 2 × 2 max pool, stride 2, floor mode, fused after the activation

// pad job slot words: planes [plane0, plane0 + planes) of (height, width) floats are copied into
// (paddedHeight, paddedWidth) planes at (top, left), borders zeroed
export const WORD_PAD_SOURCE = 3;
export const WORD_PAD_TARGET = 4;
export const WORD_PAD_PLANE0 = 5;
export const WORD_PAD_PLANES = 6;
export const WORD_PAD_HEIGHT = 7;
export const WORD_PAD_WIDTH = 8;
export const WORD_PAD_PADDED_HEIGHT = 9;
export const WORD_PAD_PADDED_WIDTH = 10;
export const WORD_PAD_TOP = 11;
export const WORD_PAD_LEFT = 12;
export const WORD_PAD_AFFINE = 13; // 1: the copy computes (x − sub) / div, as a fused Sub / Div before the conv
export const WORD_PAD_SUB = 14; // f32 bits
export const WORD_PAD_DIV = 15; // f32 bits
