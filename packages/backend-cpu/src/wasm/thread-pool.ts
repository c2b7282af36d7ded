// Worker threads that run kernel jobs on the shared WebAssembly memory. Each worker instantiates
// the same module on the same memory and waits (Atomics.wait) on the sequence word of its own
// job slot; the caller fills the slots, offers each job (ticket word = its sequence number),
// bumps the sequences, runs slot 0 itself, then blocks until every worker has written its
// sequence to the done word: synchronous for the caller.
// A worker takes its job by swapping the ticket s → −s. Jobs that share their work through a
// counter (the convolutions: `shareable`) let the caller withdraw a job a worker has not taken yet
// (ticket s → 0) once it has done all the work itself, so a worker that a busy machine wakes late
// costs nothing; other jobs (fixed tiles) are always waited for.
// Workers are unref'd (they never keep the process alive) and exit after IDLE_EXIT_MS without
// work, so abandoned pools (module reloads, test files) do not pile up; the next job respawns
// them. A state word arbitrates between "exit now" and "a job is coming" (compare-exchange).
import { nodeBuiltin } from './load-module.js';
import type { WasmMemory, WasmModule } from './webassembly-api.js';
import { SLOT_BYTES, SLOTS_BASE, WORD_DONE, WORD_SEQUENCE } from './job-layout.js';

type WorkerThreads = typeof import('node:worker_threads');

/** Polls before sleeping: back-to-back GEMMs (conv per image) then avoid futex wake-ups. */
const SPIN_ITERATIONS = 20000;
const IDLE_EXIT_MS = 2000;
/** A worker that has not instantiated the module by then is treated as unavailable. */
const STARTUP_TIMEOUT_MS = 10_000;
const WORD_ERROR = 21;
const WORD_STATE = 22;
const WORD_TICKET = 31;
const STATE_STARTING = 0;
const STATE_IDLE = 1;
const STATE_EXITED = 2;
const STATE_CLAIMED = 3;

// CommonJS worker source (eval mode); receives { module, memory, slot, spin, idle } as workerData.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot, spin, idle } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const words = new Int32Array(memory.buffer, slot, 32);
Atomics.store(words, ${WORD_STATE}, ${STATE_IDLE});
Atomics.notify(words, ${WORD_STATE});
let seen = 0;
for (;;) {
  let sequence = Atomics.load(words, ${WORD_SEQUENCE});
  for (let i = 0; sequence === seen && i < spin; i++) sequence = Atomics.load(words, ${WORD_SEQUENCE});
  let exit = false;
  while (sequence === seen && !exit) {
    const outcome = Atomics.wait(words, ${WORD_SEQUENCE}, seen, idle);
    sequence = Atomics.load(words, ${WORD_SEQUENCE});
    if (sequence === seen && outcome === 'timed-out') {
      exit = Atomics.compareExchange(words, ${WORD_STATE}, ${STATE_IDLE}, ${STATE_EXITED}) === ${STATE_IDLE};
    }
  }
  if (exit || sequence < 0) break;
  seen = sequence;
  // take the job unless the caller withdrew it (or already offered a newer one: seen next round)
  if (Atomics.compareExchange(words, ${WORD_TICKET}, sequence, -sequence) !== sequence) continue;
  try {
    instance.exports.runJob(slot);
    Atomics.store(words, ${WORD_ERROR}, 0);
  } catch (error) {
    Atomics.store(words, ${WORD_ERROR}, 1);
  }
  Atomics.store(words, ${WORD_STATE}, ${STATE_IDLE});
  Atomics.store(words, ${WORD_DONE}, sequence);
  Atomics.notify(words, ${WORD_DONE});
}
`;

export function slotAddress(thread: number): number {
  return SLOTS_BASE + thread * SLOT_BYTES;
}

export class ThreadPool {
  private readonly threads: WorkerThreads;
  private readonly workers: (import('node:worker_threads').Worker | undefined)[] = [];
  private readonly words: Int32Array;
  private sequence = 0;

  /** Starts `helpers` workers (threads 1..helpers; thread 0 is the caller). Throws if unsupported. */
  constructor(
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
    helpers: number,
  ) {
    const threads = nodeBuiltin<WorkerThreads>('node:worker_threads');
    if (!threads) throw new Error('node:worker_threads is not available');
    this.threads = threads;
    this.words = new Int32Array(memory.buffer, 0, (SLOTS_BASE + (helpers + 1) * SLOT_BYTES) / 4);
    for (let thread = 1; thread <= helpers; thread++) this.spawn(thread);
  }

  private index(thread: number, word: number): number {
    return slotAddress(thread) / 4 + word;
  }

  /** Starts the worker of `thread` on a reset slot and blocks until it has instantiated the module. */
  private spawn(thread: number): void {
    for (const word of [WORD_SEQUENCE, WORD_DONE, WORD_STATE, WORD_TICKET]) Atomics.store(this.words, this.index(thread, word), 0);
    const workerData = { module: this.module, memory: this.memory, slot: slotAddress(thread), spin: SPIN_ITERATIONS, idle: IDLE_EXIT_MS };
    const worker = new this.threads.Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.unref();
    this.workers[thread - 1] = worker;
    Atomics.wait(this.words, this.index(thread, WORD_STATE), STATE_STARTING, STARTUP_TIMEOUT_MS);
    if (Atomics.load(this.words, this.index(thread, WORD_STATE)) === STATE_STARTING) {
      this.close();
      throw new Error(`GEMM worker ${thread} did not start within ${STARTUP_TIMEOUT_MS} ms`);
    }
  }

  /** Claims an idle worker for one job, respawning it if it exited while idle. */
  private claim(thread: number): void {
    const index = this.index(thread, WORD_STATE);
    if (Atomics.compareExchange(this.words, index, STATE_IDLE, STATE_CLAIMED) === STATE_IDLE) return;
    this.spawn(thread); // it exited (STATE_EXITED)
    Atomics.compareExchange(this.words, index, STATE_IDLE, STATE_CLAIMED);
  }

  /**
   * Runs slots 1..helperCount on workers and slot 0 through `runLocal`, then waits for all —
   * except, when `shareable`, for workers that had not taken their job when runLocal returned.
   */
  run(helperCount: number, runLocal: () => void, shareable = false): void {
    const sequence = ++this.sequence;
    for (let thread = 1; thread <= helperCount; thread++) {
      this.claim(thread);
      Atomics.store(this.words, this.index(thread, WORD_TICKET), sequence);
      Atomics.store(this.words, this.index(thread, WORD_SEQUENCE), sequence);
      Atomics.notify(this.words, this.index(thread, WORD_SEQUENCE));
    }
    let failure: unknown;
    try {
      runLocal();
    } catch (error) {
      failure = error;
    }
    let workerFailed = false;
    for (let thread = 1; thread <= helperCount; thread++) {
      if (shareable && Atomics.compareExchange(this.words, this.index(thread, WORD_TICKET), sequence, 0) === sequence) {
        Atomics.store(this.words, this.index(thread, WORD_STATE), STATE_IDLE); // withdrawn before it started
        continue;
      }
      const index = this.index(thread, WORD_DONE);
      let done = Atomics.load(this.words, index);
      for (let i = 0; done !== sequence && i < SPIN_ITERATIONS; i++) done = Atomics.load(this.words, index);
      while (done !== sequence) {
        Atomics.wait(this.words, index, done);
        done = Atomics.load(this.words, index);
      }
      if (Atomics.load(this.words, this.index(thread, WORD_ERROR)) !== 0) workerFailed = true;
    }
    if (failure !== undefined) throw failure;
    if (workerFailed) throw new Error('a WebAssembly GEMM worker trapped');
  }

  /** Stops the workers (tests, reconfiguration). */
  close(): void {
    for (const worker of this.workers) void worker?.terminate();
    this.workers.length = 0;
  }
}
