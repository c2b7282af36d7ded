// The engines a workload can run on, created once per process (only those selected):
//   cpu-ref     backend-cpu's reference loops for MatMul/Gemm/Conv (cpu-reference-backend.ts)
//   cpu         backend-cpu as shipped (its default fast kernels; multi-node graphs through compile())
//   tfjs-wasm   backend-tfjs on @tensorflow/tfjs-backend-wasm (per-op run(): upload, kernel, download)
//   onnxruntime backend-onnxruntime compile() → one ORT session per workload (session.run timed)
import { type CpuBackend, createCpuBackend } from '@efficientdl/backend-cpu';
import { type OnnxruntimeBackend, createOnnxruntimeBackend } from '@efficientdl/backend-onnxruntime';
import { type TfjsBackend, createTfjsBackend } from '@efficientdl/backend-tfjs';
import { ConfigError } from '@efficientdl/ir';
import { createCpuReferenceBackend } from './cpu-reference-backend.js';

export const ENGINE_NAMES = ['cpu-ref', 'cpu', 'tfjs-wasm', 'onnxruntime'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface EngineSet {
  readonly cpuReference?: CpuBackend;
  readonly cpu?: CpuBackend;
  readonly tfjs?: TfjsBackend;
  readonly onnxruntime?: OnnxruntimeBackend;
  /** One line per engine saying what it is (printed above the table). */
  readonly descriptions: Readonly<Partial<Record<EngineName, string>>>;
}

export interface EngineOptions {
  /** intra-op threads of onnxruntime (default: the backend's own default, cores up to 4). */
  onnxruntimeThreads?: number;
}

async function createTfjsWasm(): Promise<TfjsBackend> {
  const tfjs = await createTfjsBackend({ prefer: 'wasm' });
  if (tfjs.activeTfjsBackend !== 'wasm') {
    throw new ConfigError(`bench engine 'tfjs-wasm': tfjs activated '${tfjs.activeTfjsBackend}' instead of wasm (${tfjs.describe()})`, {
      engine: 'tfjs-wasm',
    });
  }
  return tfjs;
}

export async function createEngineSet(selected: readonly EngineName[], options: EngineOptions = {}): Promise<EngineSet> {
  const descriptions: Partial<Record<EngineName, string>> = {};
  const has = (name: EngineName) => selected.includes(name);
  const cpuReference = has('cpu-ref') ? createCpuReferenceBackend() : undefined;
  if (cpuReference) descriptions['cpu-ref'] = 'backend-cpu, reference loops for MatMul/Gemm/Conv/ConvTranspose (1 thread)';
  const cpu = has('cpu') ? createCpuBackend() : undefined;
  if (cpu) descriptions.cpu = 'backend-cpu as shipped (default kernels; multi-node graphs through compile())';
  const tfjs = has('tfjs-wasm') ? await createTfjsWasm() : undefined;
  if (tfjs) descriptions['tfjs-wasm'] = `backend-tfjs: ${tfjs.describe()}`;
  const onnxruntime = has('onnxruntime') ? await createOnnxruntimeBackend({ intraOpThreads: options.onnxruntimeThreads }) : undefined;
  if (onnxruntime) descriptions.onnxruntime = `backend-onnxruntime: ${onnxruntime.describe()}, graph optimizations 'all'`;
  return { cpuReference, cpu, tfjs, onnxruntime, descriptions };
}

/** The host backend (synchronous per-op run()) behind an engine, if it has one. */
export function hostBackend(engines: EngineSet, engine: EngineName): CpuBackend | TfjsBackend | undefined {
  if (engine === 'cpu-ref') return engines.cpuReference;
  if (engine === 'cpu') return engines.cpu;
  if (engine === 'tfjs-wasm') return engines.tfjs;
  return undefined;
}

/** Releases what the engines hold (onnxruntime's per-op worker). */
export function closeEngineSet(engines: EngineSet): void {
  engines.onnxruntime?.close();
}
