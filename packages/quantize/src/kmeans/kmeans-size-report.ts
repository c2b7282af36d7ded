// Size report of k-means-compressed weights: per layer, float32 bytes vs the bytes of the packed
// form (codebook + packed indices + sparse positions), measured on the actual packed buffers.
import type { KmeansLayer } from './kmeans-layer.js';
import { type PackKmeansOptions, type PackedKmeansLayer, packKmeansLayer, packedKmeansBytes } from './kmeans-storage.js';

export interface KmeansSizeRow {
  name: string;
  weights: number;
  /** Weights that are not pruned. */
  kept: number;
  fp32Bytes: number;
  codebookBytes: number;
  valueBytes: number;
  positionBytes: number;
  /** How positions are stored: '-' (dense), 'bitmap' or 'relative Nb' (N bits per index). */
  positionFormat: string;
  storedBytes: number;
  /** fp32Bytes / storedBytes. */
  ratio: number;
}

export interface KmeansSizeReport {
  rows: KmeansSizeRow[];
  total: KmeansSizeRow;
  options: PackKmeansOptions;
}

function positionFormat(packed: PackedKmeansLayer): string {
  if (!packed.positions) return '-';
  const coding = packed.values.encoding === 'huffman' ? ', huffman' : '';
  return packed.positions.encoding === 'bitmap' ? 'bitmap' : `relative ${packed.positions.indexBits}b${coding}`;
}

/** Packs every layer with `options` and tallies the bytes. */
export function kmeansSizeReport(layers: readonly KmeansLayer[], options: PackKmeansOptions = {}): KmeansSizeReport {
  const rows = layers.map((layer): KmeansSizeRow => {
    const packed = packKmeansLayer(layer, options);
    const bytes = packedKmeansBytes(packed);
    const weights = layer.indices.length;
    const kept = layer.keep ? layer.keep.reduce((sum, value) => sum + value, 0) : weights;
    return {
      name: layer.name,
      weights,
      kept,
      fp32Bytes: weights * 4,
      codebookBytes: bytes.codebook,
      valueBytes: bytes.values,
      positionBytes: bytes.positions,
      positionFormat: positionFormat(packed),
      storedBytes: bytes.total,
      ratio: (weights * 4) / bytes.total,
    };
  });
  const sum = (pick: (row: KmeansSizeRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const total: KmeansSizeRow = {
    name: 'total',
    weights: sum((row) => row.weights),
    kept: sum((row) => row.kept),
    fp32Bytes: sum((row) => row.fp32Bytes),
    codebookBytes: sum((row) => row.codebookBytes),
    valueBytes: sum((row) => row.valueBytes),
    positionBytes: sum((row) => row.positionBytes),
    positionFormat: '',
    storedBytes: sum((row) => row.storedBytes),
    ratio: 0,
  };
  total.ratio = total.storedBytes > 0 ? total.fp32Bytes / total.storedBytes : 0;
  return { rows, total, options: { ...options } };
}

/** A fixed-width text table of the report. */
export function formatKmeansSizeTable(report: KmeansSizeReport): string {
  const header = ['layer', 'weights', 'kept', 'fp32 B', 'codebook B', 'indices B', 'positions', 'positions B', 'stored B', 'ratio'];
  const lines = [...report.rows, report.total].map((row) => [
    row.name,
    String(row.weights),
    String(row.kept),
    String(row.fp32Bytes),
    String(row.codebookBytes),
    String(row.valueBytes),
    row.positionFormat,
    String(row.positionBytes),
    String(row.storedBytes),
    `${row.ratio.toFixed(2)}x`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)));
  const format = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
