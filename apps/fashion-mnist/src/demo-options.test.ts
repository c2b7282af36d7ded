// demo's command line: its own flags (space or `=` form) are taken out, the training flags go to
// parseCliOptions, and defaults / invalid values behave as documented in DEMO_USAGE.
import { describe, expect, it } from 'vitest';
import { DEMO_USAGE, parseDemoOptions } from './demo-options.js';

describe('parseDemoOptions', () => {
  it('uses the documented defaults on the embedded subset', () => {
    const options = parseDemoOptions([]);
    expect(options).toMatchObject({ epochs: 3, batchSize: 64, finetuneEpochs: 3, macsBudget: 0.4, calibCount: 512, latencyRuns: 30 });
    expect(options.pruneRatio).toBeUndefined();
    expect(options.outDir).toBeUndefined();
  });

  it('fine-tunes one epoch by default on the full dataset', () => {
    expect(parseDemoOptions(['--data', 'folder']).finetuneEpochs).toBe(1);
  });

  it('separates its own flags from the training flags in either form', () => {
    const options = parseDemoOptions(['--epochs', '2', '--out-dir', 'models', '--prune-ratio=0.5', '--lr', '0.001', '--latency-runs=7', '--calib-count', '128']);
    expect(options).toMatchObject({ epochs: 2, lr: 0.001, outDir: 'models', pruneRatio: 0.5, latencyRuns: 7, calibCount: 128 });
  });

  it('rejects invalid values and missing values', () => {
    expect(() => parseDemoOptions(['--prune-ratio', '1'])).toThrow("--prune-ratio must be a number in [0, 1), got '1'");
    expect(() => parseDemoOptions(['--finetune-epochs', '1.5'])).toThrow('--finetune-epochs must be a non-negative integer');
    expect(() => parseDemoOptions(['--out-dir'])).toThrow('--out-dir needs a value');
    expect(() => parseDemoOptions(['--unknown-flag'])).toThrow(); // still strict for everything else
  });

  it('documents every flag it accepts', () => {
    for (const flag of ['--out-dir', '--finetune-epochs', '--macs-budget', '--prune-ratio', '--calib-count', '--latency-runs', '--data', '--epochs']) {
      expect(DEMO_USAGE).toContain(flag);
    }
  });
});
