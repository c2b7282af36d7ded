// `pnpm bench`: every workload on every engine (cpu-ref, cpu, tfjs-wasm, onnxruntime) in ONE
// process, median of 5 runs after warm-up; prints a table and with `--json FILE` writes
// [{ workload, engine, ms, gflops }]. `--help` lists the options.
import { runCli } from './cli.js';

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
