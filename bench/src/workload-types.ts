// What a benchmark workload is: a name, and a setup that builds its inputs (only when selected)
// and says, per engine, how to prepare a runner or why that engine does not run it.
import type { TensorData } from '@efficientdl/ir';
import type { EngineName, EngineSet } from './engines.js';

export interface Runner {
  /** One timed unit of work; may return a promise (onnxruntime). */
  run(): unknown;
  /** Runs once more and returns the main output, to check that engines agree (untimed). */
  output?(): Promise<TensorData>;
  dispose?(): void;
}

/** Prepares a runner on the engines (compile sessions, trace, allocate) — not timed. */
export type Preparer = (engines: EngineSet) => Promise<Runner>;

export interface WorkloadSetup {
  /** Floating-point (or, for int8 rows, integer) operations of one run: 2 per multiply-add. */
  flops: number;
  /** Per engine: a preparer, or a string saying why the engine skips this workload. */
  engines: Readonly<Record<EngineName, Preparer | string>>;
}

export interface Workload {
  readonly name: string;
  /** One line on what a run computes (printed under the table). */
  readonly description: string;
  setup(): WorkloadSetup;
}
