// Sensitivity scan on the small CNN with a deterministic metric, its table and SVG, and the
// greedy ratio picker reaching a MACs target (additive estimate and exact cost).
import { ConfigError } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import { describe, expect, it } from 'vitest';
import { smallCnnModule } from '../__fixtures__/small-cnn.js';
import { formatSensitivityTable, sensitivitySvg } from './format-sensitivity.js';
import { pickRatios } from './pick-ratios.js';
import { type SensitivityScan, sensitivityScan } from './sensitivity-scan.js';

/** A fake metric: features.0 is fragile (metric falls with its channels), features.4 robust. */
function metric(model: GraphModule): number {
  const first = model.getParameter('features.0.weight')?.shape[0] as number;
  const second = model.getParameter('features.4.weight')?.shape[0] as number;
  return 0.9 - 0.05 * (8 - first) - 0.001 * (16 - second);
}

describe('sensitivity', () => {
  it('scans each prunable group alone and formats a table and an SVG', async () => {
    const scan = await sensitivityScan(smallCnnModule(), { evaluate: metric, ratios: [0.25, 0.5, 0.75] });
    expect(scan.baseline.metric).toBeCloseTo(0.9, 12);
    expect(scan.layers.map((layer) => [layer.layer, layer.points.map((point) => Number(point.metric.toFixed(4)))])).toEqual([
      ['features.0', [0.8, 0.7, 0.6]],
      ['features.4', [0.896, 0.892, 0.888]],
    ]);
    const table = formatSensitivityTable(scan);
    expect(table.split('\n')[2]).toMatch(/^features\.0\s+8\s+0\.8000\s+0\.7000\s+0\.6000$/);
    const svg = sensitivitySvg(scan, { title: 'small <cnn>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('small &lt;cnn&gt;');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('picks ratios greedily: the robust layer first, until the MACs target holds', async () => {
    const model = smallCnnModule();
    const scan: SensitivityScan = await sensitivityScan(model, { evaluate: metric, ratios: [0.25, 0.5, 0.75] });
    const picked = pickRatios({ scan, macsTarget: 0.6, model });
    expect(picked.macs).toBeLessThanOrEqual(0.6 * scan.baseline.macs);
    expect(picked.perLayerRatios['features.4']).toBeGreaterThan(picked.perLayerRatios['features.0'] ?? 0);
    const estimated = pickRatios({ scan, paramsTarget: 0.7 });
    expect(estimated.params).toBeLessThanOrEqual(0.7 * scan.baseline.params);
    expect(() => pickRatios({ scan, macsTarget: 0.001 })).toThrow(ConfigError);
    expect(() => pickRatios({ scan })).toThrow(/exactly one/);
  });
});
