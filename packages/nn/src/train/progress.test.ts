// Progress output: per-epoch lines on a non-TTY stream, a rewritten bar line on a TTY.
import { describe, expect, it } from 'vitest';
import { ProgressReporter, formatDuration, formatEpochLine } from './progress.js';

function stream(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

const summary = { epoch: 2, epochs: 3, loss: 0.123456, seconds: 12.34, samplesPerSecond: 987.6, lr: 0.001, evalAccuracy: 0.9 };

describe('progress', () => {
  it('formats durations and epoch lines', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
    expect(formatEpochLine(summary)).toBe('epoch 2/3: loss 0.1235, 12.3 s, 988 samples/s, lr 0.00100, eval accuracy 0.9000');
  });

  it('writes only per-epoch lines when the stream is not a TTY', () => {
    const output = stream(false);
    const reporter = new ProgressReporter({ stream: output });
    reporter.startEpoch(2, 3, 10);
    reporter.update({ step: 10, loss: 0.1, samplesPerSecond: 5, elapsedSeconds: 1 });
    reporter.endEpoch(summary);
    expect(output.text).toBe(`${formatEpochLine(summary)}\n`);
  });

  it('draws a bar with step, loss, samples/s and ETA on a TTY', () => {
    const output = stream(true);
    const reporter = new ProgressReporter({ stream: output });
    reporter.startEpoch(1, 3, 4);
    reporter.update({ step: 1, loss: 0.5, samplesPerSecond: 100, elapsedSeconds: 30 });
    expect(output.text).toContain('epoch 1/3 [######------------------] 1/4 loss 0.5000 100 samples/s ETA 1:30');
    expect(output.text.startsWith('\r')).toBe(true);
    reporter.endEpoch(summary);
    expect(output.text.endsWith(`${formatEpochLine(summary)}\n`)).toBe(true);
    const narrow = { ...stream(true), columns: 70 };
    const narrowReporter = new ProgressReporter({ stream: narrow });
    narrowReporter.startEpoch(1, 3, 4);
    narrowReporter.update({ step: 1, loss: 0.5, samplesPerSecond: 100, elapsedSeconds: 30 });
    expect(narrow.text).toContain('ETA 1:30'); // the bar shrinks, the numbers stay
    expect(narrow.text.replace('\x1b[K', '').length).toBeLessThanOrEqual(70);
    const barOnly = stream(true);
    const quiet = new ProgressReporter({ stream: barOnly, epochSummary: false });
    quiet.startEpoch(1, 1, 2);
    quiet.update({ step: 2, loss: 0.5, samplesPerSecond: 100, elapsedSeconds: 1 });
    quiet.endEpoch(summary);
    expect(barOnly.text.endsWith('\r\x1b[K')).toBe(true);
    expect(barOnly.text).not.toContain('eval accuracy');
    const silent = stream(true);
    new ProgressReporter({ stream: silent, mode: 'none' }).endEpoch(summary);
    expect(silent.text).toBe('');
  });
});
