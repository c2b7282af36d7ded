// The demo's closing table: one row per model (float, pruned, int8, pruned+int8) with the
// measured params and MACs (IR cost model, per image), ONNX file size, backend-cpu batch latency
// and test accuracy, plus size and speed relative to the first (float) row.

export interface DemoRow {
  /** e.g. 'float', 'pruned', 'int8', 'pruned+int8'. */
  model: string;
  params: number;
  /** Multiply-accumulates per image. */
  macs: number;
  /** Size of the ONNX file. */
  bytes: number;
  /** Median milliseconds of one forward at the latency batch size. */
  latencyMs: number;
  /** Top-1 accuracy on the test images, in [0, 1]. */
  accuracy: number;
}

const count = (value: number) => value.toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(2)}x`;

function cells(row: DemoRow, reference: DemoRow): string[] {
  return [
    row.model,
    count(row.params),
    count(row.macs),
    count(row.bytes),
    times(reference.bytes / row.bytes),
    row.latencyMs.toFixed(2),
    times(reference.latencyMs / row.latencyMs),
    row.accuracy.toFixed(4),
  ];
}

/** A fixed-width table; ratios (`smaller`, `faster`) are against the first row. */
export function formatDemoTable(rows: readonly DemoRow[], options: { batch: number }): string {
  const reference = rows[0];
  if (!reference) return '';
  const header = ['model', 'params', 'MACs/image', 'ONNX bytes', 'smaller', `ms/batch ${options.batch}`, 'faster', 'accuracy'];
  const table = [header, ...rows.map((row) => cells(row, reference))];
  const widths = header.map((_, column) => Math.max(...table.map((line) => (line[column] as string).length)));
  const format = (line: string[]) =>
    line.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...table.slice(1).map(format)].join('\n');
}
