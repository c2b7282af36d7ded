// Host side of the elementwise jobs (assembly/elementwise-train-f32.ts): ReluGrad and Relu over
// element ranges, the 2 × 2 / stride-2 MaxPoolGrad and MaxPool over planes. Copies the operands
// into the shared memory, splits the work between threads when there is much (each element is
// computed on its own: results do not depend on the split), copies the result out. false when the
// runtime is unavailable or the operands do not fit (callers use their TypeScript loops).
import * as layout from './batch-norm-train-layout.js';
import { WORD_KIND } from './job-layout.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime } from './wasm-runtime.js';

/** Elements per thread below which one thread does it all (the copies dominate anyway). */
const MIN_ELEMENTS_PER_THREAD = 1 << 21;

/** A job over `units` (elements or planes) of `elements` floats in all, reading `inputs` and writing `length` floats. */
interface SplitJob {
  readonly kind: number;
  readonly inputs: readonly { readonly word: number; readonly data: Float32Array; readonly length: number }[];
  readonly output: { readonly data: Float32Array; readonly length: number };
  readonly units: number;
  readonly elements: number;
  /** Units of a part start at multiples of this (element ranges in whole quads). */
  readonly alignment: number;
  readonly words?: readonly [number, number][];
}

function runSplit(job: SplitJob): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const sizes = [...job.inputs.map((input) => input.length), job.output.length].map((length) => Math.ceil(length / 4) * 16);
  let base: number;
  try {
    base = runtime.reserveOperands(sizes.reduce((sum, size) => sum + size, 0));
  } catch {
    return false;
  }
  const addresses: number[] = [];
  let next = base;
  for (const size of sizes) {
    addresses.push(next);
    next += size;
  }
  const heap = runtime.views().f32;
  job.inputs.forEach((input, index) => heap.set(input.data.subarray(0, input.length), (addresses[index] as number) / 4));
  const output = addresses[job.inputs.length] as number;
  const parts = Math.max(1, Math.min(runtime.threads, Math.ceil(job.units / job.alignment), Math.floor(job.elements / MIN_ELEMENTS_PER_THREAD)));
  const words = runtime.views().i32;
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const first = job.alignment * Math.floor((part * job.units) / (job.alignment * parts));
    const end = part === parts - 1 ? job.units : job.alignment * Math.floor(((part + 1) * job.units) / (job.alignment * parts));
    words[slot + WORD_KIND] = job.kind;
    job.inputs.forEach((input, index) => (words[slot + input.word] = addresses[index] as number));
    words[slot + layout.WORD_OUTPUT] = output;
    words[slot + layout.WORD_FIRST_ELEMENT] = first;
    words[slot + layout.WORD_ELEMENTS] = end - first;
    for (const [index, value] of job.words ?? []) words[slot + index] = value;
  }
  runtime.runParallel(parts);
  job.output.data.set(runtime.views().f32.subarray(output / 4, output / 4 + job.output.length));
  return true;
}

/** dx = x > 0 ? dy : +0, elementwise over `x.length` elements. */
export function wasmReluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): boolean {
  const elements = x.length;
  return runSplit({
    kind: layout.JOB_RELU_GRAD, units: elements, elements, alignment: 4,
    inputs: [{ word: layout.WORD_X, data: x, length: elements }, { word: layout.WORD_GRADIENT, data: dy, length: elements }],
    output: { data: dx, length: elements },
  });
}

/** y = x > 0 ? x : +0, elementwise over `x.length` elements (the Relu kernel's float32 loop, in SIMD). */
export function wasmRelu(x: Float32Array, y: Float32Array): boolean {
  const elements = x.length;
  return runSplit({ kind: layout.JOB_RELU, units: elements, elements, alignment: 4, inputs: [{ word: layout.WORD_X, data: x, length: elements }], output: { data: y, length: elements } });
}

/** (planes, height, width) of a 2 × 2 / stride-2 pool without padding; outputs (planes, ⌊height / 2⌋, ⌊width / 2⌋). */
export interface PoolPlanes {
  readonly planes: number;
  readonly height: number;
  readonly width: number;
}

const pooledLength = ({ planes, height, width }: PoolPlanes): number => planes * (height >> 1) * (width >> 1);

/** dx: (planes, height, width) from x and dy: dy at each window's first maximum, 0 elsewhere. */
export function wasmMaxPool2x2Grad(geometry: PoolPlanes, x: Float32Array, dy: Float32Array, dx: Float32Array): boolean {
  const elements = geometry.planes * geometry.height * geometry.width;
  return runSplit({
    kind: layout.JOB_MAX_POOL_GRAD, units: geometry.planes, elements, alignment: 1,
    inputs: [{ word: layout.WORD_X, data: x, length: elements }, { word: layout.WORD_GRADIENT, data: dy, length: pooledLength(geometry) }],
    output: { data: dx, length: elements },
    words: [[layout.WORD_BATCH, geometry.height], [layout.WORD_INNER, geometry.width]],
  });
}

/** y: (planes, height / 2, width / 2) = each 2 × 2 window's first maximum (the MaxPool values without indices). */
export function wasmMaxPool2x2(geometry: PoolPlanes, x: Float32Array, y: Float32Array): boolean {
  const elements = geometry.planes * geometry.height * geometry.width;
  return runSplit({
    kind: layout.JOB_MAX_POOL, units: geometry.planes, elements, alignment: 1,
    inputs: [{ word: layout.WORD_X, data: x, length: elements }],
    output: { data: y, length: pooledLength(geometry) },
    words: [[layout.WORD_BATCH, geometry.height], [layout.WORD_INNER, geometry.width]],
  });
}
