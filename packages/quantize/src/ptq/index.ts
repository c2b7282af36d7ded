// Static post-training quantization: plan → calibrate → QDQ graph.
export { type CalibrationBatch, type CalibrationData, type CalibrationResult, calibrate, feedsOf } from './calibrate.js';
export {
  type ActivationReport,
  type Int8StaticConfig,
  type Int8StaticOptions,
  type QuantizeReport,
  type WeightReport,
  int8Static,
} from './int8-static.js';
export { type QuantizeResult, quantize } from './quantize.js';
export { type QdqBuildInput, type QdqGraph, buildNamedQdqGraph, buildQdqGraph } from './qdq-graph.js';
export { COMPUTE_OPS, type ComputeSite, type PlanOptions, type QuantizationPlan, SHARED_PARAMETER_OPS, planQuantization } from './quantization-plan.js';
export { type QuantizedWeight, channelScales, quantizeBias, quantizeWeight, weightChannelAxis } from './weight-quantization.js';
