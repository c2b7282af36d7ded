// Job kinds and words of the depthwise training jobs; mirrors assembly/depthwise-train-layout.ts
// (the module reads the same words) — see there for what each word means.
export const JOB_DW_DIRECT = 32; // panels = output planes (image · outputs + channel)
export const JOB_DW_GRAD_WEIGHT = 33; // panels = output channels (each sums over every image)
export const JOB_DW_PLACE = 34; // placement copy, planes [plane0, plane0 + planes)

// slot words of the direct / weight-gradient jobs
export const WORD_DESCRIPTOR = 3; // byte address of the descriptor below
export const WORD_PANELS = 4; // panels of the run, shared through D_NEXT_PANEL
export const WORD_CHUNK = 5; // panels taken at a time
export const WORD_SCRATCH = 18; // byte address of this thread's small scratch (sums, offsets, totals: < 4 KiB)
export const WORD_SCRATCH_B = 19; // byte address of this thread's plane scratch (the padded planes)

// descriptor words (element strides). The source planes are dense; each job copies the plane it
// needs into its scratch, zero-padded: source[r, c] lands at (top + r · placeStrideH,
// left + c · placeStrideW) of a (paddedH, inRow) plane followed by zeros up to inPlane floats, so
// every window (and every lane the blocks compute past the edges) lies inside it.
export const D_INPUT = 0; // byte address of the dense source planes (N, inChannels, sourceH, sourceW)
export const D_IN_ROW = 1; // padded plane: row stride (floats)
export const D_IN_PLANE = 2; // padded plane: floats of the scratch buffer (rows plus zero slack)
export const D_IN_CHANNELS = 3; // source planes per image
export const D_MULTIPLIER = 4; // output channels per input channel
export const D_OUTPUT = 5; // direct: byte address of the (N, M, oH, oW) output; weight gradient: of (M, kH, kW)
export const D_OUT_ROW = 6;
export const D_OUT_PLANE = 7;
export const D_OUT_H = 8;
export const D_OUT_W = 9;
export const D_STRIDE_H = 10;
export const D_STRIDE_W = 11;
export const D_DILATION_H = 12;
export const D_DILATION_W = 13;
export const D_KERNEL_H = 14;
export const D_KERNEL_W = 15;
export const D_WEIGHTS = 16; // direct: byte address of the (M, kH, kW) weights
export const D_BIAS = 17; // direct: byte address of one f32 per output channel, 0 = none
export const D_BLOCK_ROWS = 18; // direct: output rows per block of four quads (1, 2 or 4)
export const D_OUTPUTS = 19; // output channels M per image
export const D_NEXT_PANEL = 20; // shared counter: the threads take panels [n, n + chunk) by atomic add
export const D_GRADIENT = 21; // weight gradient: byte address of the dense dY planes (N, M, oH, oW)
export const D_GRADIENT_ROW = 22; // weight gradient: dY rows padded to whole quads (zeros) in the scratch
export const D_PADDED_H = 23; // padded plane: rows
export const D_BATCH = 24;
export const D_SOURCE_H = 25;
export const D_SOURCE_W = 26;
export const D_PLACE_TOP = 27; // may be negative (rows / columns that land outside are dropped)
export const D_PLACE_LEFT = 28;
export const D_PLACE_STRIDE_H = 29; // 1, or the convolution stride when building the zero-dilated dY
export const D_PLACE_STRIDE_W = 30;
export const D_OUT_STEP = 31; // direct: elements between output columns (1, or the stride when writing one phase of a strided input gradient)
export const DESCRIPTOR_WORDS = 32;

// slot words of the placement copy: source planes (height, width) dense; target planes
// (targetHeight, targetWidth) zero except target[top + r · strideH, left + c · strideW] = source[r, c]
// (positions outside the target are dropped)
export const WORD_PLACE_SOURCE = 3;
export const WORD_PLACE_TARGET = 4;
export const WORD_PLACE_PLANE0 = 5;
export const WORD_PLACE_PLANES = 6;
export const WORD_PLACE_HEIGHT = 7;
export const WORD_PLACE_WIDTH = 8;
export const WORD_PLACE_TARGET_HEIGHT = 9;
export const WORD_PLACE_TARGET_WIDTH = 10;
export const WORD_PLACE_TOP = 11;
export const WORD_PLACE_LEFT = 12;
export const WORD_PLACE_STRIDE_H = 13;
export const WORD_PLACE_STRIDE_W = 14;
