// Pareto fronts and a hand-written SVG plot of search results: one panel per cost metric
// (e.g. latency, int8 peak activation) with accuracy upwards, every evaluated candidate as a
// dot per series, each series' Pareto front as a step line, and labelled highlighted picks.

export interface PlotPoint {
  /** Cost (lower is better). */
  x: number;
  /** Accuracy (higher is better). */
  y: number;
}

/** Points not dominated by another (lower-or-equal x and higher-or-equal y, one strictly), by increasing x. */
export function paretoFront<T extends PlotPoint>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const front: T[] = [];
  let bestY = Number.NEGATIVE_INFINITY;
  for (const point of sorted) {
    if (point.y > bestY) {
      front.push(point);
      bestY = point.y;
    }
  }
  return front;
}

export interface PlotSeries {
  label: string;
  color: string;
  /** Points per panel (same order as `panels`). */
  points: PlotPoint[][];
}

export interface PlotHighlight {
  label: string;
  color: string;
  /** One point per panel. */
  points: PlotPoint[];
}

export interface ParetoPlotOptions {
  title: string;
  yLabel: string;
  /** One panel per cost metric; `limit` draws the budget as a dashed vertical line. */
  panels: { xLabel: string; limit?: number }[];
  series: PlotSeries[];
  highlights?: PlotHighlight[];
}

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 320;
const MARGIN = { left: 60, right: 20, top: 50, bottom: 50 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function extent(values: number[]): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = high > low ? (high - low) * 0.05 : Math.abs(high) * 0.05 || 1;
  return [low - pad, high + pad];
}

function ticks([low, high]: [number, number], count = 5): number[] {
  return Array.from({ length: count }, (_, index) => low + ((high - low) * index) / (count - 1));
}

function formatTick(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toFixed(3);
}

function panelSvg(options: ParetoPlotOptions, panel: number, originX: number): string[] {
  const all = [...options.series.flatMap((series) => series.points[panel] ?? []), ...(options.highlights ?? []).map((h) => h.points[panel]).filter((p): p is PlotPoint => !!p)];
  const limit = options.panels[panel]?.limit;
  const xRange = extent([...all.map((point) => point.x), ...(limit !== undefined ? [limit] : [])]);
  const yRange = extent(all.map((point) => point.y));
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => originX + MARGIN.left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * plotWidth;
  const sy = (y: number) => MARGIN.top + plotHeight - ((y - yRange[0]) / (yRange[1] - yRange[0])) * plotHeight;
  const parts: string[] = [
    `<rect x="${originX + MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`,
  ];
  for (const tick of ticks(xRange)) {
    parts.push(`<text x="${sx(tick).toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" font-size="10" text-anchor="middle">${formatTick(tick)}</text>`);
  }
  for (const tick of ticks(yRange)) {
    parts.push(`<text x="${originX + MARGIN.left - 6}" y="${(sy(tick) + 3).toFixed(1)}" font-size="10" text-anchor="end">${formatTick(tick)}</text>`);
  }
  const xLabel = escapeXml(options.panels[panel]?.xLabel ?? '');
  parts.push(`<text x="${originX + MARGIN.left + plotWidth / 2}" y="${PANEL_HEIGHT - 12}" font-size="12" text-anchor="middle">${xLabel}</text>`);
  parts.push(
    `<text x="${originX + 14}" y="${MARGIN.top + plotHeight / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${originX + 14} ${MARGIN.top + plotHeight / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  if (limit !== undefined) {
    const x = sx(limit).toFixed(1);
    parts.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotHeight}" stroke="#555" stroke-dasharray="5,4"/>`);
    parts.push(`<text x="${(sx(limit) - 4).toFixed(1)}" y="${MARGIN.top + 12}" font-size="10" text-anchor="end" fill="#555">budget</text>`);
  }
  for (const series of options.series) {
    const points = series.points[panel] ?? [];
    for (const point of points) parts.push(`<circle cx="${sx(point.x).toFixed(1)}" cy="${sy(point.y).toFixed(1)}" r="2.5" fill="${series.color}" fill-opacity="0.45"/>`);
    const front = paretoFront(points);
    if (front.length > 1) {
      const path = front.map((point, index) => `${index === 0 ? 'M' : 'L'}${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`).join(' ');
      parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="1.5"/>`);
    }
  }
  for (const highlight of options.highlights ?? []) {
    const point = highlight.points[panel];
    if (!point) continue;
    const [x, y] = [sx(point.x), sy(point.y)];
    parts.push(`<rect x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="${highlight.color}" stroke="#000"/>`);
    parts.push(`<text x="${(x + 8).toFixed(1)}" y="${Math.max(MARGIN.top + 10, y - 7).toFixed(1)}" font-size="10">${escapeXml(highlight.label)}</text>`);
  }
  return parts;
}

function legendSvg(options: ParetoPlotOptions): string[] {
  const entries = [
    ...options.series.map((series) => ({ label: series.label, color: series.color, square: false })),
    ...(options.highlights ?? []).map((highlight) => ({ label: highlight.label, color: highlight.color, square: true })),
  ];
  return entries.map((entry, index) => {
    const x = MARGIN.left + index * 150;
    const marker = entry.square
      ? `<rect x="${x - 5}" y="${33}" width="10" height="10" fill="${entry.color}" stroke="#000"/>`
      : `<circle cx="${x}" cy="38" r="4" fill="${entry.color}"/>`;
    return `${marker}<text x="${x + 9}" y="42" font-size="11">${escapeXml(entry.label)}</text>`;
  });
}

/** A standalone SVG document with one panel per entry of `panels`. */
export function renderParetoSvg(options: ParetoPlotOptions): string {
  const width = PANEL_WIDTH * options.panels.length;
  const body = [
    `<rect width="${width}" height="${PANEL_HEIGHT}" fill="#fff"/>`,
    `<text x="${width / 2}" y="18" font-size="14" font-weight="bold" text-anchor="middle">${escapeXml(options.title)}</text>`,
    ...legendSvg(options),
    ...options.panels.flatMap((_, panel) => panelSvg(options, panel, panel * PANEL_WIDTH)),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_HEIGHT}" viewBox="0 0 ${width} ${PANEL_HEIGHT}" font-family="sans-serif">\n${body.join('\n')}\n</svg>\n`;
}
