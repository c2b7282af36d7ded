// Job kind and slot words of the im2col job; mirrors assembly/im2col-layout.ts (the module reads
// the same words) — see there.
export const JOB_IM2COL = 35;

export const WORD_INPUT = 3; // byte address of image 0, channel 0 of the padded input
export const WORD_IN_ROW = 4;
export const WORD_IN_PLANE = 5;
export const WORD_IN_CHANNELS = 6; // planes per image
export const WORD_OUTPUT = 7; // byte address of cols
export const WORD_LD = 8; // row stride of cols (floats)
export const WORD_ROW0 = 9;
export const WORD_ROWS = 10;
export const WORD_IMAGE0 = 11;
export const WORD_IMAGES = 12;
export const WORD_OUT_H = 13;
export const WORD_OUT_W = 14;
export const WORD_STRIDE_H = 15;
export const WORD_STRIDE_W = 16;
export const WORD_DILATION_H = 17;
export const WORD_DILATION_W = 18;
export const WORD_KERNEL_H = 19;
export const WORD_KERNEL_W = 20;
