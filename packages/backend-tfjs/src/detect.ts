// Run-time choice of the tfjs backend: @tensorflow/tfjs-node when it is installed and loads
// (native TensorFlow), else @tensorflow/tfjs-backend-wasm, else @tensorflow/tfjs-backend-cpu.
// Each skipped candidate leaves a reason, so callers can report what is active and why.
import { ConfigError } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type TfjsPreference = 'node' | 'wasm' | 'cpu';

/** How each candidate is loaded; tests replace these to simulate missing packages. */
export interface TfjsLoaders {
  node(): Promise<unknown>;
  wasm(): Promise<{ setThreadsCount?(count: number): void }>;
  cpu(): Promise<unknown>;
}

export interface DetectOptions {
  /** Where to start the fallback chain node → wasm → cpu (default 'node'). */
  prefer?: TfjsPreference;
  /** Threads for the wasm backend (tfjs-backend-wasm setThreadsCount). */
  threads?: number;
  loaders?: Partial<TfjsLoaders>;
}

export interface Detection {
  readonly active: TfjsBackendName;
  /** Why earlier candidates were skipped, in order. */
  readonly notes: readonly string[];
}

// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const TFJS_NODE = '@tensorflow/tfjs-node';

export const DEFAULT_LOADERS: TfjsLoaders = {
  node: () => import(/* @vite-ignore */ TFJS_NODE),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim();
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function activate(name: TfjsBackendName): Promise<string | undefined> {
  if (!tf.findBackendFactory(name)) return `no '${name}' backend registered with this @tensorflow/tfjs-core`;
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `tf.setBackend('${name}') threw: ${firstLine(error)}`;
  }
}

async function tryNode(loaders: TfjsLoaders): Promise<string | undefined> {
  try {
    await loaders.node();
  } catch (error) {
    const prefix = isMissingModule(error) ? 'tfjs-node not installed' : 'tfjs-node failed to load';
    return `${prefix}: ${firstLine(error)}`;
  }
  const problem = await activate('tensorflow');
  return problem ? `tfjs-node loaded but unusable: ${problem}` : undefined;
}

async function tryWasm(loaders: TfjsLoaders, threads: number | undefined): Promise<string | undefined> {
  try {
    const module = await loaders.wasm();
    if (threads !== undefined) module.setThreadsCount?.(threads);
  } catch (error) {
    return `tfjs-backend-wasm failed to load: ${firstLine(error)}`;
  }
  const problem = await activate('wasm');
  return problem ? `tfjs wasm unusable: ${problem}` : undefined;
}

/** Loads the first usable tfjs backend in the chain and makes it tfjs's active backend. */
export async function detectTfjsBackend(options: DetectOptions = {}): Promise<Detection> {
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const prefer = options.prefer ?? 'node';
  const notes: string[] = [];
  if (prefer === 'node') {
    const problem = await tryNode(loaders);
    if (!problem) return { active: 'tensorflow', notes };
    notes.push(problem);
  }
  if (prefer === 'node' || prefer === 'wasm') {
    const problem = await tryWasm(loaders, options.threads);
    if (!problem) return { active: 'wasm', notes };
    notes.push(problem);
  }
  await loaders.cpu();
  const problem = await activate('cpu');
  if (problem) throw new ConfigError(`no tfjs backend could be activated: ${[...notes, problem].join('; ')}`, { notes: [...notes, problem] });
  return { active: 'cpu', notes };
}
