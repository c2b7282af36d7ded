// Runs the selected workloads on the selected engines in this process: per pair, prepare
// (untimed: compile, trace, allocate), measure (warm-up, then median of timed runs), dispose.
import type { TensorData } from '@efficientdl/ir';
import { checkAgreement } from './agreement.js';
import { allWorkloads } from './all-workloads.js';
import { ENGINE_NAMES, type EngineName, type EngineOptions, closeEngineSet, createEngineSet } from './engines.js';
import { measure } from './measure.js';

/** One measured pair, as written by --json. */
export interface BenchRow {
  workload: string;
  engine: EngineName;
  ms: number;
  gflops: number;
}

export interface MeasuredRow extends BenchRow {
  runs: number;
}

export interface SkippedRow {
  workload: string;
  engine: EngineName;
  reason: string;
}

export interface BenchReport {
  rows: MeasuredRow[];
  skipped: SkippedRow[];
  workloads: { name: string; description: string }[];
  engineDescriptions: Partial<Record<EngineName, string>>;
}

export interface RunOptions extends EngineOptions {
  quick?: boolean;
  /** Keep workloads whose name contains this substring. */
  only?: string;
  engines?: readonly EngineName[];
  /** Timed runs per pair (default 5). */
  runs?: number;
  /** Seconds of timed runs per pair before runs drop towards 3 (default 15). */
  budgetSeconds?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export async function runBenchmarks(options: RunOptions = {}): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const selectedEngines = ENGINE_NAMES.filter((engine) => !options.engines || options.engines.includes(engine));
  const workloads = allWorkloads({ quick: options.quick }).filter((workload) => !options.only || workload.name.includes(options.only));
  const engines = await createEngineSet(selectedEngines, options);
  const report: BenchReport = { rows: [], skipped: [], workloads: [], engineDescriptions: engines.descriptions };
  try {
    for (const workload of workloads) {
      report.workloads.push({ name: workload.name, description: workload.description });
      const setup = workload.setup();
      let reference: { engine: EngineName; output: TensorData } | undefined;
      for (const engine of selectedEngines) {
        const preparer = setup.engines[engine];
        if (typeof preparer === 'string') {
          report.skipped.push({ workload: workload.name, engine, reason: preparer });
          continue;
        }
        const runner = await preparer(engines);
        try {
          const output = await runner.output?.();
          if (output && reference) checkAgreement({ workload: workload.name, engine, referenceEngine: reference.engine, actual: output, reference: reference.output });
          else if (output) reference = { engine, output };
          const { medianMs, runs } = await measure(() => runner.run(), { runs: options.runs ?? 5, budgetSeconds: options.budgetSeconds ?? 15 });
          report.rows.push({ workload: workload.name, engine, ms: medianMs, gflops: setup.flops / (medianMs * 1e6), runs });
          log(`${workload.name} ${engine}: ${medianMs.toFixed(2)} ms (median of ${runs})`);
        } finally {
          runner.dispose?.();
        }
      }
    }
  } finally {
    closeEngineSet(engines);
  }
  return report;
}

/** The --json rows: exactly { workload, engine, ms, gflops }. */
export function jsonRows(report: BenchReport): BenchRow[] {
  return report.rows.map(({ workload, engine, ms, gflops }) => ({ workload, engine, ms, gflops }));
}
