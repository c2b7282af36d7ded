// Operand space of one WebAssembly kernel call: a bump allocator over one reserveOperands block
// (float offsets, 16-byte aligned), and the placement job (assembly/depthwise-train-f32.ts) that
// builds zero-padded / zero-dilated planes there. Shared by the training kernels' hosts.
import * as layout from './depthwise-train-layout.js';
import { WORD_KIND } from './job-layout.js';
import { slotAddress } from './thread-pool.js';
import type { WasmRuntime } from './wasm-runtime.js';

const align16 = (floats: number): number => Math.ceil(floats / 4) * 4;
/** Floats a placement copy must move before a second thread helps. */
const PLACE_MIN_FLOATS_PER_THREAD = 1 << 18;

/** A zero-padded operand: planes of (height, width) with `slack` zero floats after the last. */
export interface PaddedPlanes {
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly slack: number;
}

export const paddedFloats = (padded: PaddedPlanes): number => align16(padded.planes * padded.height * padded.width + padded.slack);

/** Bump allocator over one reserveOperands block (float offsets, 16-byte aligned). */
export class OperandSpace {
  private next = 0;
  take(floats: number): number {
    const offset = this.next;
    this.next += align16(floats);
    return offset;
  }
  get floats(): number {
    return this.next;
  }
}

export interface Placement {
  readonly source: number; // float offsets
  readonly target: number;
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly padded: PaddedPlanes;
  readonly top: number;
  readonly left: number;
  readonly strideH: number;
  readonly strideW: number;
}

/** Runs the placement copy on up to runtime.threads threads (planes split evenly) and zeroes the slack. */
export function place(runtime: WasmRuntime, base: number, placement: Placement): void {
  const { padded } = placement;
  const parts = Math.max(1, Math.min(runtime.threads, placement.planes, Math.floor((placement.planes * padded.height * padded.width) / PLACE_MIN_FLOATS_PER_THREAD)));
  const words = runtime.views().i32;
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const first = Math.floor((part * placement.planes) / parts);
    words[slot + WORD_KIND] = layout.JOB_DW_PLACE;
    words[slot + layout.WORD_PLACE_SOURCE] = base + placement.source * 4;
    words[slot + layout.WORD_PLACE_TARGET] = base + placement.target * 4;
    words[slot + layout.WORD_PLACE_PLANE0] = first;
    words[slot + layout.WORD_PLACE_PLANES] = Math.floor(((part + 1) * placement.planes) / parts) - first;
    words[slot + layout.WORD_PLACE_HEIGHT] = placement.height;
    words[slot + layout.WORD_PLACE_WIDTH] = placement.width;
    words[slot + layout.WORD_PLACE_TARGET_HEIGHT] = padded.height;
    words[slot + layout.WORD_PLACE_TARGET_WIDTH] = padded.width;
    words[slot + layout.WORD_PLACE_TOP] = placement.top;
    words[slot + layout.WORD_PLACE_LEFT] = placement.left;
    words[slot + layout.WORD_PLACE_STRIDE_H] = placement.strideH;
    words[slot + layout.WORD_PLACE_STRIDE_W] = placement.strideW;
  }
  runtime.runParallel(parts);
  const end = base / 4 + placement.target + padded.planes * padded.height * padded.width;
  runtime.views().f32.fill(0, end, base / 4 + placement.target + paddedFloats(padded));
}

/** Reserves `floats` floats of operand space; its byte address, or undefined when it does not fit the memory. */
export function reserveFloats(runtime: WasmRuntime, floats: number): number | undefined {
  try {
    return runtime.reserveOperands(floats * 4);
  } catch {
    return undefined;
  }
}
