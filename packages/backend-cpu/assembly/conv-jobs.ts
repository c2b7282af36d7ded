// Dispatch of the float32 convolution (implicit GEMM, Winograd F(2,3) / F(4,3), depthwise) and padding jobs
// (conv-layout.ts kinds 8-15) from runJob.
import { convF32Job, padF32Job } from './conv-f32';
import * as conv from './conv-layout';
import { depthwiseF32Job } from './depthwise-f32';
import { winogradF32Job } from './winograd-f32';
import { winograd4F32Job } from './winograd4-f32';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isConvJob(kind: i32): bool {
  return kind >= conv.JOB_F32_CONV && kind <= conv.JOB_F32_WINOGRAD4;
}

export function runConvJob(slot: usize, kind: i32): void {
  if (kind === conv.JOB_F32_PAD) {
    padF32Job(
      word(slot, conv.WORD_PAD_SOURCE), word(slot, conv.WORD_PAD_TARGET),
      word(slot, conv.WORD_PAD_PLANE0), word(slot, conv.WORD_PAD_PLANES),
      word(slot, conv.WORD_PAD_HEIGHT), word(slot, conv.WORD_PAD_WIDTH),
      word(slot, conv.WORD_PAD_PADDED_HEIGHT), word(slot, conv.WORD_PAD_PADDED_WIDTH),
      word(slot, conv.WORD_PAD_TOP), word(slot, conv.WORD_PAD_LEFT), word(slot, conv.WORD_PAD_AFFINE) !== 0,
      reinterpret<f32>(word(slot, conv.WORD_PAD_SUB)), reinterpret<f32>(word(slot, conv.WORD_PAD_DIV)),
    );
    return;
  }
  // every thread of the run takes chunks of panels from the descriptor's counter until none are left
  const descriptor = <usize>word(slot, conv.WORD_DESCRIPTOR);
  const first = word(slot, conv.WORD_PANEL0);
  const total = word(slot, conv.WORD_PANELS);
  const chunk = max(1, word(slot, conv.WORD_CHUNK));
  const counter = descriptor + (<usize>conv.D_NEXT_PANEL << 2);
  const scratchA = <usize>word(slot, conv.WORD_SCRATCH_A);
  const scratchB = <usize>word(slot, conv.WORD_SCRATCH_B);
  for (;;) {
    const start = atomic.add<i32>(counter, chunk);
    if (start >= total) break;
    const count = min(chunk, total - start);
    if (kind === conv.JOB_F32_CONV) convF32Job(descriptor, first + start, count, scratchA, scratchB);
    else if (kind === conv.JOB_F32_WINOGRAD) winogradF32Job(descriptor, first + start, count, scratchA, scratchB);
    else if (kind === conv.JOB_F32_WINOGRAD4) winograd4F32Job(descriptor, first + start, count, scratchA, scratchB);
    else depthwiseF32Job(descriptor, first + start, count, scratchA);
  }
}
