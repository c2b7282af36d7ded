// First-fit allocator of long-lived blocks (per-thread packing scratch, prepacked weights and
// activation buffers of compiled graphs) in the WebAssembly memory. Pure bookkeeping over byte
// addresses: the runtime grows the memory to `end()` before use. Everything above `end()` is
// the transient operand area of the current GEMM call (WasmRuntime.reserveOperands).

const ALIGNMENT = 64; // a cache line: packed panels and v128 loads stay aligned

interface Span {
  address: number;
  bytes: number;
}

export class MemoryArena {
  private top: number;
  /** Free spans below `top`, sorted by address, never adjacent (merged). */
  private readonly free: Span[] = [];
  private readonly sizes = new Map<number, number>();

  constructor(private readonly base: number) {
    this.top = align(base);
  }

  /** Byte address of a new block of at least `bytes` bytes (64-byte aligned). */
  allocate(bytes: number): number {
    const size = align(Math.max(1, bytes));
    const index = this.free.findIndex((span) => span.bytes >= size);
    let address: number;
    const span = this.free[index];
    if (span) {
      address = span.address;
      if (span.bytes === size) this.free.splice(index, 1);
      else {
        span.address += size;
        span.bytes -= size;
      }
    } else {
      address = this.top;
      this.top += size;
    }
    this.sizes.set(address, size);
    return address;
  }

  /** Returns a block to the arena (unknown addresses are ignored: double release is harmless). */
  release(address: number): void {
    const size = this.sizes.get(address);
    if (size === undefined) return;
    this.sizes.delete(address);
    let index = this.free.findIndex((span) => span.address > address);
    if (index < 0) index = this.free.length;
    this.free.splice(index, 0, { address, bytes: size });
    this.merge(index);
    // a free span that reaches the top gives its bytes back to the operand area
    const last = this.free[this.free.length - 1];
    if (last && last.address + last.bytes === this.top) {
      this.top = last.address;
      this.free.pop();
    }
  }

  private merge(index: number): void {
    const next = this.free[index + 1];
    const current = this.free[index] as Span;
    if (next && current.address + current.bytes === next.address) {
      current.bytes += next.bytes;
      this.free.splice(index + 1, 1);
    }
    const previous = this.free[index - 1];
    if (previous && previous.address + previous.bytes === current.address) {
      previous.bytes += current.bytes;
      this.free.splice(index, 1);
    }
  }

  /** First byte after every live block (the transient operand area starts here). */
  end(): number {
    return this.top;
  }

  /** Bytes held by live blocks. */
  liveBytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Start of the arena (for tests). */
  start(): number {
    return align(this.base);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
}
