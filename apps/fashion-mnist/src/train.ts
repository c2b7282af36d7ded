// `train --data <dir>`: trains the CNN on the full Fashion-MNIST training set (60k), prints seconds
// and samples/s per epoch, and ends with `test accuracy: 0.XXXX` on the 10k test set.
import { parseCliOptions, OPTIONS_HELP } from './cli-options.js';
import { loadFashionMnist } from './datasets.js';
import { exportModelToOnnx } from './export-model.js';
import { runPipeline } from './pipeline.js';

const USAGE = `usage: train --data <folder with the 4 Fashion-MNIST .gz files> [options]
${OPTIONS_HELP.replace('training epochs', 'training epochs (default 3)')}`;

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), { epochs: 3 });
  if (options.help || !options.data) {
    console.log(USAGE);
    if (!options.help) process.exitCode = 1;
    return;
  }
  const { train, test } = await loadFashionMnist(options.data, { limit: options.limit });
  const { model, testAccuracy } = await runPipeline({ ...options, train, test, log: (line) => console.log(line) });
  if (options.exportOnnx) {
    const bytes = await exportModelToOnnx(model, options.exportOnnx);
    console.log(`wrote ${options.exportOnnx} (${bytes} bytes, ONNX opset 17)`);
  }
  console.log(`test accuracy: ${testAccuracy.toFixed(4)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
