// Host side of the sparse WebAssembly jobs (assembly/sparse-*.ts): lays operands out in the
// shared memory, stages a sparse weight, and launches SpMM / pad / transpose jobs across the
// thread pool. Every launch shares its work through a counter (word SHARED_COUNTER_WORD of slot
// 0): the threads take units — (image, block of rows), planes, row blocks — by atomic add, so a
// worker that a busy machine wakes late takes fewer of them, and one that has not started when
// the caller is done is withdrawn (runParallel's `shareable`). Rows are chunked so that each
// thread's resolved entries fit its scratch. Which thread computes a unit never changes its sums
// (deterministic for any thread count).
import { MIN_WORK_PER_THREAD } from '../wasm/partition.js';
import { SCRATCH_A_BYTES, SCRATCH_B_BYTES, WORD_KIND } from '../wasm/job-layout.js';
import { slotAddress } from '../wasm/thread-pool.js';
import { type WasmRuntime, scratchAddresses } from '../wasm/wasm-runtime.js';
import * as words from './sparse-job-layout.js';
import { type SparseWeight, entriesOfRow } from './sparse-weight.js';

/** Bytes the SpMM kernel may read past the end of a B operand (its last partial 48-column strip). */
export const B_SLACK_BYTES = 192;

/** Bump allocation of 16-byte-aligned regions; offsets are relative to the reserved base. */
export class HeapPlan {
  private bytes = 0;
  add(bytes: number): number {
    const offset = this.bytes;
    this.bytes += Math.ceil(bytes / 16) * 16;
    return offset;
  }
  get total(): number {
    return this.bytes;
  }
}

/** Reserves the plan's bytes; undefined when the memory cannot grow that far (caller falls back). */
export function reservePlan(runtime: WasmRuntime, plan: HeapPlan): number | undefined {
  try {
    return runtime.reserveOperands(plan.total);
  } catch {
    return undefined;
  }
}

/** Byte addresses of a staged weight. */
export interface StagedWeight {
  readonly values: number;
  readonly indices: number;
  /** CSR: address of the row pointers; N:M: groups per row. */
  readonly pointers: number;
}

/** Plans the weight's regions: values, indices (+ row pointers for CSR). */
export function planWeight(plan: HeapPlan, weight: SparseWeight): StagedWeight {
  const values = plan.add(weight.values.length * 4);
  const indices = plan.add(weight.indices.byteLength);
  const pointers = weight.rowPointers ? plan.add(weight.rowPointers.length * 4) : weight.groups;
  return { values, indices, pointers };
}

/** Copies the weight into its planned regions (offsets relative to `base`). */
export function stageWeight(runtime: WasmRuntime, base: number, planned: StagedWeight, weight: SparseWeight): StagedWeight {
  const heap = runtime.views();
  const staged = { values: base + planned.values, indices: base + planned.indices, pointers: weight.rowPointers ? base + planned.pointers : planned.pointers };
  heap.f32.set(weight.values, staged.values / 4);
  if (weight.indices instanceof Int32Array) heap.i32.set(weight.indices, staged.indices / 4);
  else heap.u8.set(weight.indices, staged.indices);
  if (weight.rowPointers) heap.i32.set(weight.rowPointers, staged.pointers / 4);
  return staged;
}

/** One SpMM launch over rows [rowStart, rowEnd) of the weight and `images` images. */
export interface RowsLaunch {
  readonly weight: SparseWeight;
  readonly staged: StagedWeight;
  /** Address of the int32 table: reduction column → float offset of its B row. */
  readonly offsets: number;
  readonly b: number;
  readonly bImageStride: number;
  readonly out: number;
  readonly outRowStride: number;
  readonly outImageStride: number;
  readonly columns: number;
  /** Kept outputs per segment and B-grid columns per segment (both = columns: no compaction). */
  readonly segmentLength: number;
  readonly segmentStride: number;
  /** Address of the bias (0 = none). */
  readonly bias: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly images: number;
}

/** Whether the kernel can run this launch (row scratch and resolved entries of one row fit). */
export function launchFits(launch: { weight: SparseWeight; columns: number; segmentLength: number }): boolean {
  const compacting = launch.segmentLength !== launch.columns;
  if (compacting && launch.columns * 4 > SCRATCH_A_BYTES) return false;
  return (maxEntriesPerRow(launch.weight) + 2) * 8 + 32 <= SCRATCH_B_BYTES;
}

function maxEntriesPerRow(weight: SparseWeight): number {
  let most = 0;
  for (let row = 0; row < weight.rows; row++) most = Math.max(most, entriesOfRow(weight, row));
  return most;
}

/** Row chunks whose (row table + resolved entries) fit one thread's scratch. */
function rowChunks(weight: SparseWeight, rowStart: number, rowEnd: number): [number, number][] {
  const chunks: [number, number][] = [];
  let first = rowStart;
  let bytes = 32;
  for (let row = rowStart; row < rowEnd; row++) {
    const rowBytes = entriesOfRow(weight, row) * 8 + 4;
    if (row > first && bytes + rowBytes > SCRATCH_B_BYTES) {
      chunks.push([first, row]);
      first = row;
      bytes = 32;
    }
    bytes += rowBytes;
  }
  if (rowEnd > first) chunks.push([first, rowEnd]);
  return chunks;
}

/** Threads worth waking for `work` multiply-adds (each ≥ MIN_WORK_PER_THREAD), at most `threads`. */
function partsFor(work: number, threads: number): number {
  return Math.max(1, Math.min(threads, Math.floor(work / MIN_WORK_PER_THREAD)));
}

/** Address of the launch's shared work counter (slot 0, word SHARED_COUNTER_WORD), reset to 0. */
function resetCounter(runtime: WasmRuntime): number {
  const address = slotAddress(0) + words.SHARED_COUNTER_WORD * 4;
  runtime.views().i32[address / 4] = 0;
  return address;
}

/** Rows per work unit: whole images when there are enough of them, else blocks of ≥ 4 rows. */
function rowBlockFor(rows: number, images: number, parts: number): number {
  if (parts === 1 || images >= 4 * parts) return rows;
  const blocks = Math.ceil((4 * parts) / images);
  return Math.max(4, Math.ceil(rows / blocks));
}

function writeRowsSlot(runtime: WasmRuntime, thread: number, launch: RowsLaunch, chunk: { row0: number; rows: number; rowBlock: number; counter: number }): void {
  const slot = slotAddress(thread) / 4;
  const heap = runtime.views().i32;
  const { scratchA, scratchB } = scratchAddresses(thread);
  const set = (word: number, value: number) => {
    heap[slot + word] = value;
  };
  set(WORD_KIND, launch.weight.format === 'nm' ? words.JOB_SPARSE_NM : words.JOB_SPARSE_CSR);
  set(words.WORD_VALUES, launch.staged.values);
  set(words.WORD_INDICES, launch.staged.indices);
  set(words.WORD_POINTERS, launch.staged.pointers);
  set(words.WORD_OFFSETS, launch.offsets);
  set(words.WORD_B, launch.b);
  set(words.WORD_B_IMAGE_STRIDE, launch.bImageStride);
  set(words.WORD_OUT, launch.out);
  set(words.WORD_OUT_ROW_STRIDE, launch.outRowStride);
  set(words.WORD_OUT_IMAGE_STRIDE, launch.outImageStride);
  set(words.WORD_ROW0, chunk.row0);
  set(words.WORD_ROWS, chunk.rows);
  set(words.WORD_IMAGE0, 0);
  set(words.WORD_IMAGES, launch.images);
  set(words.WORD_COLUMNS, launch.columns);
  set(words.WORD_BIAS, launch.bias);
  set(words.WORD_NM_N, launch.weight.n);
  set(words.WORD_NM_M, launch.weight.m);
  set(words.WORD_SEGMENT_LENGTH, launch.segmentLength);
  set(words.WORD_SEGMENT_STRIDE, launch.segmentStride);
  set(words.WORD_SCRATCH, scratchA);
  set(words.WORD_RESOLVED, scratchB);
  set(words.WORD_COUNTER, chunk.counter);
  set(words.WORD_ROW_BLOCK, chunk.rowBlock);
}

/** Runs the SpMM over the launch's rows and images (returns when every unit is done). */
export function runRows(runtime: WasmRuntime, launch: RowsLaunch): void {
  if (launch.columns === 0 || launch.images === 0) return;
  for (const [row0, rowEnd] of rowChunks(launch.weight, launch.rowStart, launch.rowEnd)) {
    let entries = 0;
    for (let row = row0; row < rowEnd; row++) entries += entriesOfRow(launch.weight, row);
    const parts = partsFor(entries * launch.columns * launch.images, runtime.threads);
    const chunk = { row0, rows: rowEnd - row0, rowBlock: rowBlockFor(rowEnd - row0, launch.images, parts), counter: resetCounter(runtime) };
    for (let thread = 0; thread < parts; thread++) writeRowsSlot(runtime, thread, launch, chunk);
    runtime.runParallel(parts, { shareable: true });
  }
}

/** target (cols, rows) ← source (rows, cols), both float32 in the memory. */
export function runTranspose(runtime: WasmRuntime, options: { source: number; target: number; rows: number; cols: number }): void {
  const parts = partsFor((options.rows * options.cols) * 8, runtime.threads);
  const counter = resetCounter(runtime);
  const heap = runtime.views().i32;
  for (let thread = 0; thread < parts; thread++) {
    const slot = slotAddress(thread) / 4;
    heap[slot + WORD_KIND] = words.JOB_SPARSE_TRANSPOSE;
    heap[slot + words.WORD_TRANSPOSE_SOURCE] = options.source;
    heap[slot + words.WORD_TRANSPOSE_TARGET] = options.target;
    heap[slot + words.WORD_TRANSPOSE_ROWS] = options.rows;
    heap[slot + words.WORD_TRANSPOSE_COLS] = options.cols;
    heap[slot + words.WORD_TRANSPOSE_COUNTER] = counter;
  }
  runtime.runParallel(parts, { shareable: true });
}

export interface PadJob {
  readonly source: number;
  readonly target: number;
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  readonly top: number;
  readonly left: number;
}

/** Zero-pads `planes` planes of (height, width) into (paddedHeight, paddedWidth). */
export function runPad(runtime: WasmRuntime, pad: PadJob): void {
  const parts = partsFor(pad.planes * pad.paddedHeight * pad.paddedWidth * 8, runtime.threads);
  const counter = resetCounter(runtime);
  const heap = runtime.views().i32;
  for (let thread = 0; thread < parts; thread++) {
    const slot = slotAddress(thread) / 4;
    heap[slot + WORD_KIND] = words.JOB_SPARSE_PAD;
    heap[slot + words.WORD_PAD_SOURCE] = pad.source;
    heap[slot + words.WORD_PAD_TARGET] = pad.target;
    heap[slot + words.WORD_PAD_PLANE0] = 0;
    heap[slot + words.WORD_PAD_PLANES] = pad.planes;
    heap[slot + words.WORD_PAD_HEIGHT] = pad.height;
    heap[slot + words.WORD_PAD_WIDTH] = pad.width;
    heap[slot + words.WORD_PAD_PADDED_HEIGHT] = pad.paddedHeight;
    heap[slot + words.WORD_PAD_PADDED_WIDTH] = pad.paddedWidth;
    heap[slot + words.WORD_PAD_TOP] = pad.top;
    heap[slot + words.WORD_PAD_LEFT] = pad.left;
    heap[slot + words.WORD_PAD_COUNTER] = counter;
  }
  runtime.runParallel(parts, { shareable: true });
}
