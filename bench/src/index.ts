// `pnpm bench`: runs every workload on every engine in ONE process (median of 5 runs after
// warm-up), prints a table (ms, GFLOP/s, ratio to js-naive) and with `--json FILE` writes
// [{ workload, engine, ms, gflops }]. Issue [C] adds the tfjs-wasm and onnxruntime engines.
import { writeFileSync } from 'node:fs';
import { measure } from './measure.js';
import { allWorkloads } from './workloads.js';

interface Row {
  workload: string;
  engine: string;
  ms: number;
  gflops: number;
}

function main(argv: string[]): void {
  const jsonIndex = argv.indexOf('--json');
  const jsonPath = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
  const rows: Row[] = [];
  console.log(`node ${process.version}, ${process.arch}`);
  console.log('workload'.padEnd(20) + 'engine'.padEnd(12) + 'ms'.padStart(10) + 'GFLOP/s'.padStart(10) + 'vs js-naive'.padStart(13));
  for (const workload of allWorkloads()) {
    const results: Row[] = [];
    for (const [engine, work] of Object.entries(workload.engines)) {
      const { medianMs } = measure(work, { warmup: 1, runs: 5 });
      results.push({ workload: workload.name, engine, ms: medianMs, gflops: workload.flops / (medianMs * 1e6) });
    }
    const baseline = results.find((row) => row.engine === 'js-naive');
    for (const row of results) {
      const ratio = baseline ? `${(baseline.ms / row.ms).toFixed(2)}x` : '-';
      console.log(row.workload.padEnd(20) + row.engine.padEnd(12) + row.ms.toFixed(2).padStart(10) + row.gflops.toFixed(2).padStart(10) + ratio.padStart(13));
    }
    rows.push(...results);
  }
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(rows, null, 2)}\n`);
}

main(process.argv.slice(2));
