// The demo table against a hand-written expected layout: thousands separators, ratios against
// the first row (bytes and latency), right-aligned number columns.
import { describe, expect, it } from 'vitest';
import { formatDemoTable } from './demo-table.js';

describe('formatDemoTable', () => {
  it('formats rows with ratios against the first row', () => {
    const table = formatDemoTable(
      [
        { model: 'float', params: 20492, macs: 1031744, bytes: 80000, latencyMs: 20, accuracy: 0.821 },
        { model: 'pruned+int8', params: 13738, macs: 406896, bytes: 16000, latencyMs: 4, accuracy: 0.8 },
      ],
      { batch: 64 },
    );
    expect(table.split('\n')).toEqual([
      'model        params  MACs/image  ONNX bytes  smaller  ms/batch 64  faster  accuracy',
      '-----------  ------  ----------  ----------  -------  -----------  ------  --------',
      'float        20,492   1,031,744      80,000    1.00x        20.00   1.00x    0.8210',
      'pruned+int8  13,738     406,896      16,000    5.00x         4.00   5.00x    0.8000',
    ]);
  });

  it('is empty without rows', () => {
    expect(formatDemoTable([], { batch: 64 })).toBe('');
  });
});
