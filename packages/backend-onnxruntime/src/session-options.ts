// Options of the onnxruntime backend and the ort.InferenceSession options they map to.
import { availableParallelism } from 'node:os';
import { ConfigError } from '@efficientdl/ir';
import type { InferenceSession } from 'onnxruntime-node';

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface OnnxruntimeBackendOptions {
  /** Threads ORT uses inside one op (default: available cores, at most 4). */
  intraOpThreads?: number;
  /** ORT graph optimizations (default 'all'). */
  graphOptimizationLevel?: GraphOptimizationLevel;
}

export interface ResolvedOptions {
  intraOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
}

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

export function resolveOptions(options: OnnxruntimeBackendOptions): ResolvedOptions {
  const intraOpThreads = options.intraOpThreads ?? Math.max(1, Math.min(4, availableParallelism()));
  if (!Number.isInteger(intraOpThreads) || intraOpThreads < 1) {
    throw new ConfigError(`onnxruntime backend: intraOpThreads must be a positive integer, got ${intraOpThreads}`, { intraOpThreads });
  }
  const graphOptimizationLevel = options.graphOptimizationLevel ?? 'all';
  if (!LEVELS.includes(graphOptimizationLevel)) {
    throw new ConfigError(`onnxruntime backend: graphOptimizationLevel must be one of ${LEVELS.join(', ')}, got '${graphOptimizationLevel}'`, {
      graphOptimizationLevel,
    });
  }
  return { intraOpThreads, graphOptimizationLevel };
}

/** Session options for onnxruntime-node (CPU execution provider only). */
export function sessionOptions(options: ResolvedOptions): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: options.graphOptimizationLevel,
    logSeverityLevel: 4,
  };
}
