// The process-wide WebAssembly GEMM runtime: one shared memory, one instance for the calling
// thread, an optional pool of worker threads, and the configuration (enabled, thread count).
// Created lazily at the first large GEMM; if the module is missing or unsupported, a one-time
// note is printed and every caller falls back to the TypeScript kernels.
import { MAX_THREADS, MAXIMUM_PAGES, PAGE_BYTES, SCRATCH_A_BYTES, SCRATCH_B_BYTES, SCRATCH_BASE } from './job-layout.js';
import { loadGemmModule, nodeBuiltin } from './load-module.js';
import { slotAddress, ThreadPool } from './thread-pool.js';
import { type WasmMemory, webAssemblyApi } from './webassembly-api.js';

export interface WasmKernelOptions {
  /** false disables the WebAssembly kernels (TypeScript fallback). Default: true unless EFFICIENTDL_WASM=0. */
  readonly enabled?: boolean;
  /** Threads per GEMM including the caller. Default: os.availableParallelism() or EFFICIENTDL_THREADS. */
  readonly threads?: number;
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
  /** Views valid until the next reserveOperands call. */
  views(): MemoryViews;
  readonly relaxedSimd: boolean;
  /** Threads available for one GEMM (1 = caller only). */
  readonly threads: number;
  runJob(slot: number): void;
  /** Runs slots 0..parts-1 (slot 0 on the caller) and returns when all are done. */
  runParallel(parts: number): void;
  /** Ensures memory up to operandBase + bytes; returns operandBase (byte address for operands). */
  reserveOperands(bytes: number): number;
}

let enabled = readEnvironment('EFFICIENTDL_WASM') !== '0';
let requestedThreads: number | undefined = parseThreads(readEnvironment('EFFICIENTDL_THREADS'));
let runtime: WasmRuntime | undefined;
let failure: string | undefined;
let pool: ThreadPool | undefined;

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

/** Changes the configuration; takes effect at the next GEMM (the worker pool is rebuilt). */
export function configureWasmKernels(options: WasmKernelOptions): void {
  if (options.enabled !== undefined) enabled = options.enabled;
  if (options.threads !== undefined) requestedThreads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads)));
  pool?.close();
  pool = undefined;
  runtime = undefined;
}

export function wasmKernelInfo(): WasmKernelInfo {
  const current = getWasmRuntime();
  if (!current) return { available: false, enabled, relaxedSimd: false, threads: 1, reason: enabled ? failure : 'disabled' };
  return { available: true, enabled, relaxedSimd: current.relaxedSimd, threads: current.threads };
}

let sharedMemory: WasmMemory | undefined;
let loadedModule: ReturnType<typeof loadGemmModule> | undefined;

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

function createRuntime(): WasmRuntime {
  loadedModule ??= loadGemmModule();
  if (!loadedModule.ok) throw new Error(loadedModule.reason);
  const { module, relaxedSimd } = loadedModule.loaded;
  const wasm = webAssemblyApi();
  if (!wasm) throw new Error('no WebAssembly in this engine');
  sharedMemory ??= new wasm.Memory({ initial: 64, maximum: MAXIMUM_PAGES, shared: true });
  const memory = sharedMemory;
  const instance = new wasm.Instance(module, { env: { memory } });
  const runJob = instance.exports.runJob as (slot: number) => void;
  const threads = requestedThreads ?? defaultThreads();
  let poolFailed = false;
  const operandBase = SCRATCH_BASE + threads * (SCRATCH_A_BYTES + SCRATCH_B_BYTES);
  let cached: MemoryViews | undefined;
  const views = (): MemoryViews => {
    if (cached) return cached;
    const buffer = memory.buffer;
    cached = { f32: new Float32Array(buffer), i32: new Int32Array(buffer), i8: new Int8Array(buffer), u8: new Uint8Array(buffer) };
    return cached;
  };
  const reserveOperands = (bytes: number): number => {
    const needed = Math.ceil((operandBase + bytes) / PAGE_BYTES);
    const current = views().u8.length / PAGE_BYTES;
    if (needed > MAXIMUM_PAGES) throw new RangeError(`GEMM needs ${needed} WebAssembly pages (maximum ${MAXIMUM_PAGES})`);
    if (needed > current) {
      memory.grow(needed - current);
      cached = undefined;
    }
    return operandBase;
  };
  // The pool starts at the first GEMM large enough to split; without worker_threads the parts
  // run one after another on the caller (same tiles, same results).
  const runParallel = (parts: number): void => {
    if (parts > 1 && !pool && !poolFailed) {
      try {
        pool = new ThreadPool(module, memory, threads - 1);
      } catch {
        poolFailed = true;
      }
    }
    if (parts > 1 && pool) pool.run(parts - 1, () => runJob(slotAddress(0)));
    else for (let part = 0; part < Math.max(1, parts); part++) runJob(slotAddress(part));
  };
  return { memory, views, relaxedSimd, threads, runJob, runParallel, reserveOperands };
}

/** Per-thread scratch addresses (packed A, packed B). */
export function scratchAddresses(thread: number): { scratchA: number; scratchB: number } {
  const scratchA = SCRATCH_BASE + thread * (SCRATCH_A_BYTES + SCRATCH_B_BYTES);
  return { scratchA, scratchB: scratchA + SCRATCH_A_BYTES };
}
