// Resize gradient: the per-axis interpolation matrices against hand-computed values, and
// gradchecks of nearest / linear Resize over coordinate transformation modes, scales and sizes.
import type { Attributes } from '@efficientdl/ir';
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runUnary } from '../engine.js';
import * as F from '../functional.js';
import { interpolationMatrix } from './resize.js';

describe('Resize interpolation matrices', () => {
  it('linear half_pixel 2 → 4 (PyTorch bilinear, align_corners=False)', () => {
    const matrix = interpolationMatrix({ axis: { input: 2, output: 4, scale: 2 }, mode: 'linear', transform: 'half_pixel', nearestMode: '' });
    expect(Array.from(matrix)).toEqual([1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1]);
  });

  it('linear align_corners 3 → 5', () => {
    const matrix = interpolationMatrix({ axis: { input: 3, output: 5, scale: 5 / 3 }, mode: 'linear', transform: 'align_corners', nearestMode: '' });
    expect(Array.from(matrix)).toEqual([1, 0, 0, 0.5, 0.5, 0, 0, 1, 0, 0, 0.5, 0.5, 0, 0, 1]);
  });

  it('nearest asymmetric floor 4 → 2 and round_prefer_floor half_pixel 2 → 4', () => {
    const down = interpolationMatrix({ axis: { input: 4, output: 2, scale: 0.5 }, mode: 'nearest', transform: 'asymmetric', nearestMode: 'floor' });
    expect(Array.from(down)).toEqual([1, 0, 0, 0, 0, 0, 1, 0]);
    const up = interpolationMatrix({ axis: { input: 2, output: 4, scale: 2 }, mode: 'nearest', transform: 'half_pixel', nearestMode: 'round_prefer_floor' });
    // source coordinates -0.25, 0.25, 0.75, 1.25 → 0, 0, 1, 1
    expect(Array.from(up)).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
  });
});

describe('Resize gradient', () => {
  const tolerance = { eps: 1e-2, rtol: 1e-2, atol: 2e-3 };
  const cases: [string, number[], { scales?: number[]; sizes?: number[] }, Attributes][] = [
    ['nearest upsample ×2 (scales)', [1, 1, 2, 3], { scales: [1, 1, 2, 2] }, { mode: 'nearest' }],
    ['nearest downsample asymmetric floor (sizes)', [1, 2, 4, 4], { sizes: [1, 2, 2, 3] }, { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }],
    ['linear half_pixel upsample', [1, 1, 3, 2], { scales: [1, 1, 2, 1.5] }, { mode: 'linear' }],
    ['linear align_corners (sizes)', [1, 2, 3, 3], { sizes: [1, 2, 5, 4] }, { mode: 'linear', coordinate_transformation_mode: 'align_corners' }],
    ['nearest half_pixel_symmetric round_prefer_ceil', [1, 1, 3, 3], { scales: [1, 1, 1.7, 2.4] }, { mode: 'nearest', coordinate_transformation_mode: 'half_pixel_symmetric', nearest_mode: 'round_prefer_ceil' }],
    ['linear on listed axes (sizes, axes attribute)', [2, 3, 4], { sizes: [6, 2] }, { mode: 'linear', axes: [2, 1] }],
    ['linear pytorch_half_pixel downsample', [1, 1, 5, 4], { scales: [1, 1, 0.6, 0.5] }, { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' }],
  ];
  it('linear tf_crop_and_resize with a region of interest reaching outside the input', () => {
    const roi = F.tensor([0, 0, -0.2, 0.1, 1, 1, 0.9, 1.3], [8], 'float32');
    const sizes = F.int64([1, 1, 4, 5]);
    const attrs = { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: 0.5 };
    const x = gradcheckTensor([1, 1, 3, 4], { seed: 6, dtype: 'float32' });
    gradcheck((data) => runUnary('Resize', [data, roi, undefined, sizes], attrs), [x], tolerance);
  });

  for (const [name, shape, { scales, sizes }, attrs] of cases) {
    it(name, () => {
      const scalesTensor = scales ? F.tensor(scales, [scales.length], 'float32') : undefined;
      const sizesTensor = sizes ? F.int64(sizes) : undefined;
      const x = gradcheckTensor(shape, { seed: 5, dtype: 'float32' });
      gradcheck((data) => runUnary('Resize', [data, undefined, scalesTensor, sizesTensor], attrs), [x], tolerance);
    });
  }
});
