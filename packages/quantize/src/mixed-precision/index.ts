// Mixed precision: per-layer sensitivity, bit-width plans under a size budget, weight-only QDQ graphs.
export { type MixedPrecisionConfig, type MixedPrecisionResult, applyBitWidths, applyMixedPrecision } from './apply-mixed-precision.js';
export { type BitOption, type BitPlan, type LayerOptions, type PickOptions, pickBitWidths } from './pick-bit-widths.js';
export { type LayerSensitivity, type SensitivityConfig, type SensitivityReport, measureSensitivity, withWeight } from './sensitivity.js';
export { type ChannelQuantized, quantizeWeightBits, weightBytes } from './weight-bits.js';
