// One step of a compiled CPU graph (a node, or a chain of nodes fused into one WebAssembly call),
// the context it runs in, and a resizable block of the WebAssembly arena that steps keep between
// runs (their outputs, padded inputs, resident constants).
import { releaseWasmBlock, type WasmRuntime } from '../../wasm/wasm-runtime.js';
import type { ValueStore } from './value-store.js';

export interface RunContext {
  readonly values: ValueStore;
  /** The WebAssembly runtime of this run; undefined when the kernels are disabled or unavailable. */
  readonly runtime: WasmRuntime | undefined;
}

export interface Step {
  /** What the step runs, for describe(): 'kernel Relu', 'conv+relu+pool', 'gemm', 'view'. */
  readonly kind: string;
  /** Values read (graph value names; '' never appears). */
  readonly inputs: readonly string[];
  /** Values written. */
  readonly outputs: readonly string[];
  run(context: RunContext): void;
  /** Releases what the step holds in the WebAssembly memory. */
  dispose(): void;
}

/**
 * Bytes every block keeps readable after its end: kernels may read a little past a tensor they
 * were given in place (the last row's quads), so a block is never the last thing in memory.
 */
export const BLOCK_SLACK_BYTES = 4096;

/** An arena block that grows on demand (ensure() tells whether it was reallocated). */
export class ArenaBlock {
  address = 0;
  private bytes = 0;

  /** Ensures at least `bytes`; new blocks are zero-filled when `zero` (borders of padded inputs). */
  ensure(runtime: WasmRuntime, bytes: number, zero = false): boolean {
    if (this.address !== 0 && this.bytes >= bytes) return false;
    this.release();
    this.address = runtime.allocate(bytes + BLOCK_SLACK_BYTES);
    this.bytes = bytes;
    if (zero) runtime.views().u8.fill(0, this.address, this.address + bytes + BLOCK_SLACK_BYTES);
    return true;
  }

  release(): void {
    if (this.address !== 0) releaseWasmBlock(this.address);
    this.address = 0;
    this.bytes = 0;
  }
}
