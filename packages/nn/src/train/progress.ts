// Training progress on a text stream (stderr by default): a single rewritten bar line when the
// stream is a TTY (epoch, step, loss, samples/s, ETA), plain per-epoch lines otherwise.
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface EpochSummary {
  epoch: number;
  epochs: number;
  loss: number;
  seconds: number;
  samplesPerSecond: number;
  lr: number;
  evalAccuracy?: number;
}

/** m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function formatEpochLine(summary: EpochSummary): string {
  const evalPart = summary.evalAccuracy === undefined ? '' : `, eval accuracy ${summary.evalAccuracy.toFixed(4)}`;
  return `epoch ${summary.epoch}/${summary.epochs}: loss ${summary.loss.toFixed(4)}, ${summary.seconds.toFixed(1)} s, ${Math.round(summary.samplesPerSecond)} samples/s, lr ${summary.lr.toPrecision(3)}${evalPart}`;
}

export class ProgressReporter {
  private readonly stream: ProgressStream | undefined;
  private readonly bar: boolean;
  private readonly epochSummary: boolean;
  private lastRender = 0;
  private epochLabel = '';
  private totalSteps = 0;

  /** epochSummary: print a line per epoch (default true); with false a TTY bar is just cleared. */
  constructor(options: { mode?: ProgressMode; stream?: ProgressStream; epochSummary?: boolean } = {}) {
    const mode = options.mode ?? 'auto';
    const fallback = typeof process === 'undefined' ? undefined : (process.stderr as ProgressStream);
    this.stream = mode === 'none' ? undefined : (options.stream ?? fallback);
    this.bar = mode === 'bar' || (mode === 'auto' && this.stream?.isTTY === true);
    this.epochSummary = options.epochSummary ?? true;
  }

  startEpoch(epoch: number, epochs: number, totalSteps: number): void {
    this.epochLabel = `epoch ${epoch}/${epochs}`;
    this.totalSteps = totalSteps;
    this.lastRender = 0;
  }

  /** Called after every step; renders at most every 100 ms (TTY only). */
  update(state: { step: number; loss: number; samplesPerSecond: number; elapsedSeconds: number }): void {
    if (!this.bar || !this.stream) return;
    const now = Date.now();
    if (now - this.lastRender < 100 && state.step < this.totalSteps) return;
    this.lastRender = now;
    const fraction = this.totalSteps > 0 ? Math.min(1, state.step / this.totalSteps) : 0;
    const eta = fraction > 0 ? (state.elapsedSeconds / fraction) * (1 - fraction) : Number.NaN;
    const details = `${state.step}/${this.totalSteps} loss ${state.loss.toFixed(4)} ${Math.round(state.samplesPerSecond)} samples/s ETA ${formatDuration(eta)}`;
    // The bar shrinks (or disappears) so that the numbers always fit the terminal width.
    const columns = this.stream.columns ?? 120;
    const width = Math.min(24, columns - 1 - this.epochLabel.length - details.length - 4);
    const filled = Math.round(fraction * Math.max(width, 0));
    const bar = width >= 5 ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
    const line = `${this.epochLabel}${bar} ${details}`;
    this.stream.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
  }

  endEpoch(summary: EpochSummary): void {
    if (!this.stream) return;
    if (!this.epochSummary) {
      if (this.bar) this.stream.write('\r\x1b[K');
      return;
    }
    this.stream.write(`${this.bar ? '\r\x1b[K' : ''}${formatEpochLine(summary)}\n`);
  }

  /** A free-form message line (e.g. "resumed from ..."). */
  message(text: string): void {
    if (!this.stream) return;
    this.stream.write(`${this.bar ? '\r\x1b[K' : ''}${text}\n`);
  }
}
