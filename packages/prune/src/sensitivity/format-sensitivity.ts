// The sensitivity scan as a fixed-width table (metric per layer × ratio) and as an SVG line plot
// (metric vs ratio, one line per layer), written as plain SVG text with no dependency.
import type { SensitivityScan } from './sensitivity-scan.js';

function scanRatios(scan: SensitivityScan): number[] {
  return [...new Set(scan.layers.flatMap((layer) => layer.points.map((point) => point.ratio)))].sort((a, b) => a - b);
}

export function formatSensitivityTable(scan: SensitivityScan, options: { digits?: number } = {}): string {
  const digits = options.digits ?? 4;
  const ratios = scanRatios(scan);
  const header = ['layer', 'channels', ...ratios.map((ratio) => ratio.toFixed(2))];
  const rows = scan.layers.map((layer) => [
    layer.layer,
    String(layer.channels),
    ...ratios.map((ratio) => layer.points.find((point) => point.ratio === ratio)?.metric.toFixed(digits) ?? '-'),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [`baseline metric ${scan.baseline.metric.toFixed(digits)} (rows: layer pruned alone at each ratio)`, line(header), ...rows.map(line)].join('\n');
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface SvgOptions {
  width?: number;
  height?: number;
  title?: string;
  metricName?: string;
}

/** An SVG document: x = pruning ratio (0–1), y = metric, one polyline per layer, baseline dashed. */
export function sensitivitySvg(scan: SensitivityScan, options: SvgOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const margin = { left: 60, right: 180, top: 40, bottom: 50 };
  const metrics = [scan.baseline.metric, ...scan.layers.flatMap((layer) => layer.points.map((point) => point.metric))];
  const low = Math.min(...metrics);
  const high = Math.max(...metrics);
  const span = high - low || 1;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (ratio: number) => margin.left + ratio * plotWidth;
  const y = (metric: number) => margin.top + (1 - (metric - low) / span) * plotHeight;
  const format = (value: number) => value.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title ?? 'Pruning sensitivity')}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="black"/>`,
  ];
  for (let tick = 0; tick <= 10; tick += 2) {
    const ratio = tick / 10;
    parts.push(`<text x="${format(x(ratio))}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${ratio.toFixed(1)}</text>`);
  }
  for (let tick = 0; tick <= 4; tick++) {
    const metric = low + (span * tick) / 4;
    parts.push(`<text x="${margin.left - 6}" y="${format(y(metric) + 4)}" text-anchor="end">${metric.toFixed(3)}</text>`);
  }
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">pruning ratio</text>`);
  parts.push(`<text x="15" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 15 ${margin.top + plotHeight / 2})">${escapeXml(options.metricName ?? 'metric')}</text>`);
  parts.push(`<line x1="${margin.left}" y1="${format(y(scan.baseline.metric))}" x2="${margin.left + plotWidth}" y2="${format(y(scan.baseline.metric))}" stroke="#999" stroke-dasharray="4 3"/>`);
  scan.layers.forEach((layer, index) => {
    const color = PALETTE[index % PALETTE.length] as string;
    const points = [{ ratio: 0, metric: scan.baseline.metric }, ...layer.points].map((point) => `${format(x(point.ratio))},${format(y(point.metric))}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
    const legendY = margin.top + 16 * index;
    parts.push(`<rect x="${width - margin.right + 12}" y="${legendY}" width="12" height="3" fill="${color}"/>`);
    parts.push(`<text x="${width - margin.right + 30}" y="${legendY + 5}">${escapeXml(layer.layer)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
