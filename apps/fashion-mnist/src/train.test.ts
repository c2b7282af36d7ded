// End to end: the app's pipeline trains the CNN on 2000 embedded images and reaches ≥ 80% on
// 1000 held-out images (the last 1000 of the embedded subset, never trained on).
import { describe, expect, it } from 'vitest';
import { loadEmbedded, splitEmbedded } from './datasets.js';
import { runPipeline } from './pipeline.js';

describe('fashion-mnist app', () => {
  it('reaches ≥ 80% held-out accuracy from 2000 training images', async () => {
    const subset = await loadEmbedded();
    expect(subset.length).toBe(4000);
    const { train, test } = splitEmbedded(subset, { trainSize: 2000, testSize: 1000 });
    const { testAccuracy, history } = await runPipeline({ train, test, epochs: 3, batchSize: 32, lr: 3e-3, seed: 0, progress: 'none' });
    expect(history).toHaveLength(3);
    expect(history[2]?.loss).toBeLessThan(history[0]?.loss as number);
    expect(testAccuracy).toBeGreaterThanOrEqual(0.8); // 0.828 at the time of writing
  }, 300_000); // ~40 s alone on 2 cores; generous when the whole suite shares the CPU
});
