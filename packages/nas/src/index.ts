// @efficientdl/nas: public API (named exports only) — elastic MobileNet supernet (once-for-all),
// progressive shrinking, subnet extraction, latency/memory/accuracy predictors, evolutionary and
// random search under constraints, Pareto plots.
export * from './search-space.js';
export { type ElasticDimension, ALL_DIMENSIONS, type SampleOptions, sampleSubnet, mutateSubnet, crossoverSubnets } from './subnet-sampling.js';
export { ElasticBatchNorm2d } from './elastic-batch-norm.js';
export { ElasticConv2d, ElasticDepthwiseConv2d, type ElasticConvOptions, type ElasticDepthwiseOptions } from './elastic-conv.js';
export { ElasticConvBn, ElasticDepthwiseBn, ElasticInvertedResidual, type BlockSetting, type ElasticBlockOptions } from './elastic-blocks.js';
export { MobileNetSubnet, InvertedResidual, ConvBnAct, type MobileNetSubnetOptions, type BlockActivation } from './mobilenet-subnet.js';
export { preprocess, type PreprocessOptions } from './preprocess.js';
export { MobileNetSupernet, type SupernetOptions } from './supernet.js';
export { sortChannelsByImportance, permuteAxis, l1PerIndex, importanceOrder } from './channel-sorting.js';
export { calibrateBatchNorm, batchAccuracy, measureSubnetAccuracy, type SubnetAccuracyOptions } from './subnet-accuracy.js';
export {
  trainProgressiveShrinking,
  progressiveShrinkingPhases,
  type ShrinkingPhase,
  type ProgressiveShrinkingOptions,
  type PhaseRecord,
  type StepReport,
} from './progressive-shrinking.js';
export { fineTune, type FineTuneOptions, type FineTuneResult } from './fine-tune.js';
export { subnetGraph, graphCost, SubnetCostModel, type SubnetCost, type SubnetFigures, type SubnetCostModelOptions } from './subnet-graph.js';
export { LatencyTable, meanAbsolutePercentageError, type MeasureLatency, type LatencyTableOptions, type LatencyTableJson } from './latency-table.js';
export { checkLatencyPredictor, type LatencyCheck, type LatencyCheckOptions } from './latency-check.js';
export { engineLatency, measureEngineLatency, type EngineLatencyOptions } from './engine-latency.js';
export { encodeSubnet, encodingLength } from './encoding.js';
export {
  AccuracyPredictor,
  fitAccuracyPredictor,
  kendallTau,
  type AccuracySample,
  type FitPredictorOptions,
  type PredictorQuality,
} from './accuracy-predictor.js';
export { type Constraints, constraintViolations, satisfies, checkFeasible, formatKilobytes } from './constraints.js';
export {
  evolutionarySearch,
  randomSearch,
  evolutionEvaluations,
  type SearchProblem,
  type Candidate,
  type SearchResult,
  type EvolutionOptions,
  type RandomSearchOptions,
} from './search.js';
export { handDesignedSubnet } from './hand-designed.js';
export { paretoFront, renderParetoSvg, type PlotPoint, type PlotSeries, type PlotHighlight, type ParetoPlotOptions } from './pareto-svg.js';
export { runNasPipeline, type NasPipelineOptions, type NasPipelineResult, type Finalist, type RerankEntry } from './nas-pipeline.js';
