// The gradient table: one entry per differentiable primitive, keyed by op name
// ('domain::Op' for non-ONNX domains). Each family lives in its own file.
import { convGradient, convTransposeGradient } from './convolution.js';
import { addGradient, divGradient, mulGradient, powGradient, subGradient, whereGradient } from './elementwise-binary.js';
import {
  absGradient,
  castGradient,
  clipGradient,
  dropoutGradient,
  erfGradient,
  expGradient,
  geluGradient,
  hardSwishGradient,
  identityGradient,
  leakyReluGradient,
  logGradient,
  negGradient,
  reciprocalGradient,
  reluGradient,
  sigmoidGradient,
  sqrtGradient,
  tanhGradient,
} from './elementwise-unary.js';
import { meanGradient, sumGradient, variadicExtremumGradient } from './extra-ops.js';
import type { GradientFunction } from './gradient-types.js';
import { gatherGradient, padGradient, sliceGradient, topKGradient } from './indexing.js';
import { gemmGradient, matMulGradient } from './linear-algebra.js';
import {
  batchNormalizationGradient,
  groupNormalizationGradient,
  instanceNormalizationGradient,
  layerNormalizationGradient,
} from './normalization.js';
import { averagePoolGradient, globalAveragePoolGradient, maxPoolGradient } from './pooling.js';
import {
  cumSumGradient,
  logSoftmaxGradient,
  reduceExtremumGradient,
  reduceMeanGradient,
  reduceSumGradient,
  softmaxGradient,
} from './reduction.js';
import { resizeGradient } from './resize.js';
import { batchNormTrainingGradient } from './training-fused.js';
import { concatGradient, expandGradient, reshapeLikeInputGradient, splitGradient, transposeGradient } from './shape-ops.js';

export const GRADIENTS: Readonly<Record<string, GradientFunction>> = {
  // elementwise binary
  Add: addGradient,
  Sub: subGradient,
  Mul: mulGradient,
  Div: divGradient,
  Pow: powGradient,
  Where: whereGradient,
  // elementwise unary
  Neg: negGradient,
  Abs: absGradient,
  Exp: expGradient,
  Log: logGradient,
  Sqrt: sqrtGradient,
  Reciprocal: reciprocalGradient,
  Erf: erfGradient,
  Sigmoid: sigmoidGradient,
  Tanh: tanhGradient,
  Relu: reluGradient,
  LeakyRelu: leakyReluGradient,
  Gelu: geluGradient,
  HardSwish: hardSwishGradient,
  Clip: clipGradient,
  Identity: identityGradient,
  Dropout: dropoutGradient,
  Cast: castGradient,
  // linear algebra, convolution, pooling
  MatMul: matMulGradient,
  Gemm: gemmGradient,
  Conv: convGradient,
  ConvTranspose: convTransposeGradient,
  MaxPool: maxPoolGradient,
  AveragePool: averagePoolGradient,
  GlobalAveragePool: globalAveragePoolGradient,
  // normalization
  BatchNormalization: batchNormalizationGradient,
  LayerNormalization: layerNormalizationGradient,
  GroupNormalization: groupNormalizationGradient,
  InstanceNormalization: instanceNormalizationGradient,
  // reductions and friends
  ReduceSum: reduceSumGradient,
  ReduceMean: reduceMeanGradient,
  ReduceMax: reduceExtremumGradient,
  ReduceMin: reduceExtremumGradient,
  Softmax: softmaxGradient,
  LogSoftmax: logSoftmaxGradient,
  CumSum: cumSumGradient,
  // shape manipulation and indexing
  Reshape: reshapeLikeInputGradient,
  Flatten: reshapeLikeInputGradient,
  Squeeze: reshapeLikeInputGradient,
  Unsqueeze: reshapeLikeInputGradient,
  Transpose: transposeGradient,
  Expand: expandGradient,
  Concat: concatGradient,
  Split: splitGradient,
  Slice: sliceGradient,
  Gather: gatherGradient,
  Pad: padGradient,
  TopK: topKGradient,
  Resize: resizeGradient,
  // variadic broadcasting ops (extra-ops.ts)
  Sum: sumGradient,
  Mean: meanGradient,
  Max: variadicExtremumGradient,
  Min: variadicExtremumGradient,
  // fused training ops of the ai.efficientdl domain (training-fused.ts)
  'ai.efficientdl::BatchNormTraining': batchNormTrainingGradient,
};
