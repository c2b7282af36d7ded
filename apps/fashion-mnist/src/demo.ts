// `demo`: the whole pipeline in one command on the embedded subset (4000 Fashion-MNIST test
// images: the first 3000 train, the last 1000 test), or on the full dataset with --data <dir>.
import { OPTIONS_HELP, parseCliOptions } from './cli-options.js';
import { loadEmbedded, loadFashionMnist, splitEmbedded } from './datasets.js';
import { runPipeline } from './pipeline.js';

const USAGE = `usage: demo [--data <folder with the 4 Fashion-MNIST .gz files>] [options]
${OPTIONS_HELP.replace('training epochs', 'training epochs (default 3)')}`;

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), { epochs: 3 });
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const split = options.data
    ? await loadFashionMnist(options.data, { limit: options.limit })
    : splitEmbedded(await loadEmbedded(), { trainSize: Math.min(3000, options.limit ?? 3000), testSize: 1000 });
  console.log(options.data ? `data: ${options.data}` : 'data: embedded Fashion-MNIST subset (3000 train / 1000 test images)');
  const { testAccuracy } = await runPipeline({ ...options, ...split, log: (line) => console.log(line) });
  console.log(`test accuracy: ${testAccuracy.toFixed(4)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
