// The arena allocator against a brute-force model: random allocate / release sequences never
// hand out overlapping live blocks, keep 64-byte alignment, reuse freed space first-fit, and
// give the top back when the last blocks are released.
import { describe, expect, it } from 'vitest';
import { seeded } from '../fast/__fixtures__/gemm-oracle.js';
import { MemoryArena } from './memory-arena.js';

describe('MemoryArena', () => {
  it('never overlaps live blocks and returns to its start when everything is released', () => {
    const arena = new MemoryArena(1000);
    const random = seeded(7);
    const live = new Map<number, number>();
    for (let step = 0; step < 2000; step++) {
      if (live.size > 0 && random() < 0) {
        const addresses = [...live.keys()];
        const address = addresses[Math.floor((random() + 0.5) * addresses.length)] as number;
        arena.release(address);
        live.delete(address);
      } else {
        const bytes = 1 + Math.floor((random() + 0.5) * 5000);
        const address = arena.allocate(bytes);
        expect(address % 64).toBe(0);
        expect(address).toBeGreaterThanOrEqual(1000);
        for (const [other, size] of live) expect(address + bytes <= other || other + size <= address).toBe(true);
        expect(address + bytes).toBeLessThanOrEqual(arena.end());
        live.set(address, bytes);
      }
    }
    for (const address of live.keys()) arena.release(address);
    expect(arena.end()).toBe(arena.start());
    expect(arena.liveBytes()).toBe(0);
  });

  it('reuses a released hole before growing, and ignores unknown or repeated releases', () => {
    const arena = new MemoryArena(0);
    const first = arena.allocate(100);
    const second = arena.allocate(100);
    const third = arena.allocate(100);
    arena.release(second);
    arena.release(second);
    arena.release(12345);
    expect(arena.allocate(64)).toBe(second);
    expect(arena.allocate(64)).toBe(second + 64);
    expect(arena.allocate(64)).toBe(third + 128);
    arena.release(third + 128);
    arena.release(third);
    expect(arena.end()).toBe(third);
    expect(first).toBe(0);
  });
});
