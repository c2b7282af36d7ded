// Conformance cases for Resize mode 'cubic' (cubic_coeff_a, exclude_outside) and antialiased
// linear downsampling. Expected values from the cubic convolution kernel
// W(d) = (A+2)|d|³ − (A+3)|d|² + 1 for |d| ≤ 1, A|d|³ − 5A|d|² + 8A|d| − 4A for 1 < |d| < 2,
// evaluated by hand at the taps around each source coordinate.
import type { OpCase } from '../../op-case.js';
import { f32 } from '../basic/case-helpers.js';

// With A = -0.5, a source coordinate halfway between samples puts W(1.5) = -0.0625, W(0.5) = 0.5625,
// W(0.5), W(1.5) on the four taps around it (sum 1); an integer coordinate copies its sample.

export const RESIZE_CUBIC_CASES: readonly OpCase[] = [
  {
    name: 'Resize/cubic_asymmetric_upsample_A_half',
    op: 'Resize',
    // x = [1, 2, 4, 8], scale 2, asymmetric: output i reads source i / 2; integer sources copy exactly.
    // source 0.5: taps -1 (edge, value 1), 0, 1, 2 → 0.5625·1 + 0.5625·2 − 0.0625·1 − 0.0625·4
    inputs: [f32([1, 4], [1, 2, 4, 8]), undefined, f32([2], [1, 2])],
    attrs: { mode: 'cubic', cubic_coeff_a: -0.5, coordinate_transformation_mode: 'asymmetric' },
    expected: [
      f32([1, 8], [
        1, 0.5625 * 1 + 0.5625 * 2 - 0.0625 * 1 - 0.0625 * 4,
        2, -0.0625 * 1 + 0.5625 * 2 + 0.5625 * 4 - 0.0625 * 8,
        4, -0.0625 * 2 + 0.5625 * 4 + 0.5625 * 8 - 0.0625 * 8,
        8, -0.0625 * 4 + 0.5625 * 8 + 0.5625 * 8 - 0.0625 * 8,
      ]),
    ],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
  {
    name: 'Resize/cubic_exclude_outside_renormalizes',
    op: 'Resize',
    // x = [1, 2, 1, 3]; asymmetric source 0.5: the tap at -1 is outside → weights 0.5625, 0.5625, -0.0625
    // renormalized by their sum 1.0625; at source 3.5 only taps 2, 3 remain (sum 0.5)
    inputs: [f32([4], [1, 2, 1, 3]), undefined, f32([1], [2])],
    attrs: { mode: 'cubic', cubic_coeff_a: -0.5, exclude_outside: 1, coordinate_transformation_mode: 'asymmetric' },
    expected: [
      f32([8], [
        1, (0.5625 * 1 + 0.5625 * 2 - 0.0625 * 1) / 1.0625,
        2, -0.0625 * 1 + 0.5625 * 2 + 0.5625 * 1 - 0.0625 * 3,
        1, (-0.0625 * 2 + 0.5625 * 1 + 0.5625 * 3) / 1.0625,
        3, (-0.0625 * 1 + 0.5625 * 3) / 0.5,
      ]),
    ],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
  {
    name: 'Resize/linear_antialias_halving',
    op: 'Resize',
    // scale 0.5, half_pixel: output 0 reads source 0.5; the stretched triangle (support ±2) puts
    // weights 0.25, 0.75, 0.75, 0.25 on samples -1 (edge), 0, 1, 2, normalized by 2.
    // output 1 reads source 2.5: samples 1, 2, 3, 4 (edge → 3).
    inputs: [f32([4], [0, 4, 8, 12]), undefined, f32([1], [0.5])],
    attrs: { mode: 'linear', antialias: 1 },
    expected: [f32([2], [(0.25 * 0 + 0.75 * 0 + 0.75 * 4 + 0.25 * 8) / 2, (0.25 * 4 + 0.75 * 8 + 0.75 * 12 + 0.25 * 12) / 2])],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
];
