// The per-layer sparsity report of pruneSparse / SparsityMasks.measure: zeros over elements per
// weight, the totals, and (global scope) the shared threshold; formatted as a text table.
export interface LayerSparsity {
  readonly layer: string;
  readonly parameter: string;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly zeros: number;
  /** zeros / elements */
  readonly sparsity: number;
  /** How the layer was pruned: 'uniform 0.8', 'global', 'per-layer 0.5', '2:4', 'ignored'. */
  readonly rule: string;
}

export interface SparsityReport {
  readonly granularity: string;
  readonly importance: string;
  readonly layers: readonly LayerSparsity[];
  readonly elements: number;
  readonly zeros: number;
  readonly sparsity: number;
  /** Global scope: the score of the last pruned group (every pruned score ≤ it ≤ every kept one). */
  readonly threshold?: number;
}

/** Counts exact zeros of `values` (storage of one weight). */
export function countZeros(values: ArrayLike<number>): number {
  let zeros = 0;
  for (let index = 0; index < values.length; index++) if (values[index] === 0) zeros++;
  return zeros;
}

/** Builds the totals of a report from its layers. */
export function sparsityReport(options: { granularity: string; importance: string; layers: LayerSparsity[]; threshold?: number }): SparsityReport {
  const elements = options.layers.reduce((sum, layer) => sum + layer.elements, 0);
  const zeros = options.layers.reduce((sum, layer) => sum + layer.zeros, 0);
  const report = { ...options, elements, zeros, sparsity: elements > 0 ? zeros / elements : 0 };
  if (options.threshold === undefined) delete report.threshold;
  return report;
}

/** A text table: one line per layer, then the total. */
export function formatSparsityReport(report: SparsityReport): string {
  const rows = report.layers.map((layer) => [layer.parameter, `(${layer.shape.join(', ')})`, String(layer.elements), String(layer.zeros), `${(layer.sparsity * 100).toFixed(1)}%`, layer.rule]);
  rows.push(['total', '', String(report.elements), String(report.zeros), `${(report.sparsity * 100).toFixed(1)}%`, '']);
  const header = ['weight', 'shape', 'elements', 'zeros', 'sparsity', 'rule'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column >= 2 && column <= 4 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join('  ').trimEnd();
  const title = `sparsity: ${report.granularity}, importance ${report.importance}${report.threshold === undefined ? '' : `, global threshold ${report.threshold.toPrecision(4)}`}`;
  return [title, line(header), ...rows.map(line)].join('\n');
}
