// The process-wide WebAssembly kernel runtime: one shared memory with an arena of long-lived
// blocks (memory-arena.ts), one instance for the calling thread, an optional pool of worker
// threads, and the configuration (enabled, thread count, relaxed SIMD). Created lazily at the
// first large kernel call; if the module is missing or unsupported, a one-time note is printed and
// every caller falls back to the TypeScript kernels.
import { ARENA_BASE, MAX_THREADS, MAXIMUM_PAGES, PAGE_BYTES, SCRATCH_A_BYTES, SCRATCH_B_BYTES } from './job-layout.js';
import { type LoadResult, loadGemmModule, nodeBuiltin } from './load-module.js';
import { MemoryArena } from './memory-arena.js';
import { slotAddress, ThreadPool } from './thread-pool.js';
import { type WasmMemory, type WasmModule, webAssemblyApi } from './webassembly-api.js';

export interface WasmKernelOptions {
  /** false disables the WebAssembly kernels (TypeScript fallback). Default: true unless EFFICIENTDL_WASM=0. */
  readonly enabled?: boolean;
  /** Threads per kernel call including the caller. Default: os.availableParallelism() or EFFICIENTDL_THREADS. */
  readonly threads?: number;
  /** false loads the plain-SIMD build even where relaxed SIMD works. Default: true unless EFFICIENTDL_WASM_RELAXED=0. */
  readonly relaxedSimd?: boolean;
}

export interface WasmKernelInfo {
  readonly available: boolean;
  readonly enabled: boolean;
  readonly relaxedSimd: boolean;
  readonly threads: number;
  readonly reason?: string;
}

/** Views of the whole memory (cached: reading memory.buffer of a shared memory allocates). */
export interface MemoryViews {
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;
}

export interface WasmRuntime {
  readonly memory: WasmMemory;
  /** Views valid until the memory grows (reserveOperands, allocate). */
  views(): MemoryViews;
  readonly relaxedSimd: boolean;
  /** Threads available for one kernel call (1 = caller only). */
  readonly threads: number;
  runJob(slot: number): void;
  /**
   * Runs slots 0..parts-1 (slot 0 on the caller) and returns when all are done. `shareable`: the
   * jobs split their work through a shared counter, so a worker that has not started by the time
   * the caller ran out of work is withdrawn instead of waited for.
   */
  runParallel(parts: number, options?: { readonly shareable?: boolean }): void;
  /** Ensures `bytes` of transient operand space above the arena; returns its byte address. */
  reserveOperands(bytes: number): number;
  /** A long-lived block (64-byte aligned byte address) that stays valid until released. */
  allocate(bytes: number): number;
  release(address: number): void;
  /** Bumped whenever the runtime is rebuilt (configureWasmKernels): long-lived blocks stay valid. */
  readonly generation: number;
}

let enabled = readEnvironment('EFFICIENTDL_WASM') !== '0';
let requestedThreads: number | undefined = parseThreads(readEnvironment('EFFICIENTDL_THREADS'));
let preferRelaxed = readEnvironment('EFFICIENTDL_WASM_RELAXED') !== '0';
let runtime: WasmRuntime | undefined;
let failure: string | undefined;
let pool: ThreadPool | undefined;
let generation = 0;

function readEnvironment(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function parseThreads(text: string | undefined): number | undefined {
  const value = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) && value >= 1 ? Math.min(value, MAX_THREADS) : undefined;
}

function defaultThreads(): number {
  const os = nodeBuiltin<typeof import('node:os')>('node:os');
  return Math.min(MAX_THREADS, Math.max(1, os?.availableParallelism?.() ?? 1));
}

/** Changes the configuration; takes effect at the next kernel call (the worker pool is rebuilt). */
export function configureWasmKernels(options: WasmKernelOptions): void {
  if (options.enabled !== undefined) enabled = options.enabled;
  if (options.threads !== undefined) requestedThreads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads)));
  if (options.relaxedSimd !== undefined) preferRelaxed = options.relaxedSimd;
  pool?.close();
  pool = undefined;
  runtime = undefined;
}

export function wasmKernelInfo(): WasmKernelInfo {
  const current = getWasmRuntime();
  if (!current) return { available: false, enabled, relaxedSimd: false, threads: 1, reason: enabled ? failure : 'disabled' };
  return { available: true, enabled, relaxedSimd: current.relaxedSimd, threads: current.threads };
}

// Kept across reconfigurations: long-lived blocks (compiled graphs) survive a thread-count change.
let sharedMemory: WasmMemory | undefined;
const arena = new MemoryArena(ARENA_BASE);
const scratchBlocks: number[] = [];
const loadedModules = new Map<boolean, LoadResult>();

/** The runtime, or undefined when disabled or unavailable (callers use the TypeScript kernels). */
export function getWasmRuntime(): WasmRuntime | undefined {
  if (!enabled || failure !== undefined) return undefined;
  if (runtime) return runtime;
  try {
    runtime = createRuntime();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined) console.warn(`@efficientdl/backend-cpu: WebAssembly GEMM unavailable (${failure}); using the TypeScript kernels.`);
  return runtime;
}

function loadModule(relaxed: boolean): LoadResult {
  let result = loadedModules.get(relaxed);
  if (!result) {
    result = loadGemmModule({ preferRelaxed: relaxed });
    loadedModules.set(relaxed, result);
  }
  return result;
}

/** Grows `memory` to cover `end` bytes; returns whether it grew (views must be refreshed). */
function ensureMemory(memory: WasmMemory, end: number): boolean {
  const needed = Math.ceil(end / PAGE_BYTES);
  const current = memory.buffer.byteLength / PAGE_BYTES;
  if (needed > MAXIMUM_PAGES) throw new RangeError(`the WebAssembly kernels need ${needed} pages of memory (maximum ${MAXIMUM_PAGES})`);
  if (needed <= current) return false;
  memory.grow(needed - current);
  return true;
}

function createRuntime(): WasmRuntime {
  const loaded = loadModule(preferRelaxed);
  if (!loaded.ok) throw new Error(loaded.reason);
  const { module, relaxedSimd } = loaded.loaded;
  const wasm = webAssemblyApi();
  if (!wasm) throw new Error('no WebAssembly in this engine');
  sharedMemory ??= new wasm.Memory({ initial: 64, maximum: MAXIMUM_PAGES, shared: true });
  const memory = sharedMemory;
  const instance = new wasm.Instance(module, { env: { memory } });
  const runJob = instance.exports.runJob as (slot: number) => void;
  const threads = requestedThreads ?? defaultThreads();
  for (let thread = scratchBlocks.length; thread < threads; thread++) scratchBlocks.push(arena.allocate(SCRATCH_A_BYTES + SCRATCH_B_BYTES));
  let cached: MemoryViews | undefined;
  const views = (): MemoryViews => {
    if (cached) return cached;
    const buffer = memory.buffer;
    cached = { f32: new Float32Array(buffer), i32: new Int32Array(buffer), i8: new Int8Array(buffer), u8: new Uint8Array(buffer) };
    return cached;
  };
  ensureMemory(memory, arena.end());
  const reserveOperands = (bytes: number): number => {
    const base = arena.end();
    if (ensureMemory(memory, base + bytes)) cached = undefined;
    return base;
  };
  const allocate = (bytes: number): number => {
    const address = arena.allocate(bytes);
    if (ensureMemory(memory, address + bytes)) cached = undefined;
    return address;
  };
  const runParallel = createParallelRunner({ module, memory, threads, runJob });
  generation++;
  return { memory, views, relaxedSimd, threads, runJob, runParallel, reserveOperands, allocate, release: (address) => arena.release(address), generation };
}

/**
 * Fork-join over job slots. The pool starts at the first call large enough to split; without
 * worker_threads the parts run one after another on the caller (same tiles, same results).
 */
function createParallelRunner(options: { module: WasmModule; memory: WasmMemory; threads: number; runJob: (slot: number) => void }): WasmRuntime['runParallel'] {
  const { module, memory, threads, runJob } = options;
  let poolFailed = false;
  return (parts, runOptions): void => {
    if (parts > 1 && !pool && !poolFailed) {
      try {
        pool = new ThreadPool(module, memory, threads - 1);
      } catch {
        poolFailed = true;
      }
    }
    if (parts > 1 && pool) pool.run(parts - 1, () => runJob(slotAddress(0)), runOptions?.shareable ?? false);
    else for (let part = 0; part < Math.max(1, parts); part++) runJob(slotAddress(part));
  };
}

/** Per-thread scratch addresses (packed A, packed B) of the current runtime's threads. */
export function scratchAddresses(thread: number): { scratchA: number; scratchB: number } {
  const scratchA = scratchBlocks[thread];
  if (scratchA === undefined) throw new RangeError(`no WebAssembly scratch for thread ${thread} (runtime has ${scratchBlocks.length})`);
  return { scratchA, scratchB: scratchA + SCRATCH_A_BYTES };
}

/** Returns a long-lived block to the arena (also when the kernels were disabled meanwhile). */
export function releaseWasmBlock(address: number): void {
  arena.release(address);
}
