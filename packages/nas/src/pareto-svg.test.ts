// Pareto front against a brute-force dominance check, and the SVG's structure.
import { Generator } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { type PlotPoint, paretoFront, renderParetoSvg } from './pareto-svg.js';

function dominated(point: PlotPoint, others: readonly PlotPoint[]): boolean {
  return others.some((other) => other.x <= point.x && other.y >= point.y && (other.x < point.x || other.y > point.y));
}

describe('paretoFront', () => {
  it('keeps exactly the non-dominated points, sorted by cost', () => {
    const rng = new Generator(4);
    const points = Array.from({ length: 200 }, () => ({ x: Math.round(rng.random() * 50), y: Math.round(rng.random() * 50) }));
    const front = paretoFront(points);
    const expected = points.filter((point) => !dominated(point, points));
    const key = (point: PlotPoint) => `${point.x},${point.y}`;
    expect(new Set(front.map(key))).toEqual(new Set(expected.map(key)));
    expect(front.map((point) => point.x)).toEqual([...front.map((point) => point.x)].sort((a, b) => a - b));
  });
});

describe('renderParetoSvg', () => {
  it('draws one dot per point, one front per series and the highlights with labels', () => {
    const series = [
      { label: 'evolution', color: '#d62728', points: [[{ x: 1, y: 0.8 }, { x: 2, y: 0.9 }], [{ x: 10, y: 0.8 }, { x: 20, y: 0.9 }]] },
      { label: 'random', color: '#1f77b4', points: [[{ x: 1.5, y: 0.7 }], [{ x: 15, y: 0.7 }]] },
    ];
    const svg = renderParetoSvg({
      title: 'accuracy vs cost',
      yLabel: 'accuracy',
      panels: [{ xLabel: 'latency (ms)' }, { xLabel: 'peak <int8> (KB)', limit: 25 }],
      series,
      highlights: [{ label: 'chosen', color: '#000', points: [{ x: 2, y: 0.9 }, { x: 20, y: 0.9 }] }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle /g)?.length).toBe(6 + 2); // 6 points + 2 legend markers
    expect(svg.match(/<path /g)?.length).toBe(2); // evolution's front in each panel (random has one point)
    expect(svg).toContain('peak &lt;int8&gt; (KB)');
    expect(svg.match(/>chosen</g)?.length).toBe(3); // two panels + legend
    expect(svg.match(/stroke-dasharray/g)?.length).toBe(1); // the budget line of the second panel
  });
});
