// Progress bars on stderr (cli-progress), drawn only when stderr is a terminal so that piped
// output and logs stay clean. Lines printed to stdout while a bar is shown first clear the bar's
// line, and the bar redraws below them on its next update.
import { SingleBar } from 'cli-progress';
import type { CliIo } from './io.js';

export interface Progress {
  /** Advances by `step` (default 1); `detail` is shown after the counts (e.g. the case name). */
  increment(step?: number, detail?: string): void;
  /** Clears the bar's line so that a stdout line does not run into it. */
  interrupt(): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { increment: () => {}, interrupt: () => {}, stop: () => {} };

/** A bar labelled `label` counting up to `total`, or a no-op when the io has no terminal. */
export function startProgress(io: CliIo, options: { label: string; total: number }): Progress {
  const stream = io.progressStream;
  if (!stream) return NO_PROGRESS;
  const bar = new SingleBar({
    stream,
    format: `${options.label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} | {detail}`,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
    fps: 10,
  });
  bar.start(options.total, 0, { detail: '' });
  return {
    increment: (step = 1, detail = '') => bar.increment(step, { detail }),
    interrupt: () => {
      stream.write('\r\x1b[2K');
    },
    stop: () => bar.stop(),
  };
}
