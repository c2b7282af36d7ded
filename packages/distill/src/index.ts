// @efficientdl/distill — knowledge distillation: the Hinton KD loss, FitNets feature hints,
// attention transfer, and a Distiller module (frozen teacher + student) that plugs into nn's fit.
export { distillationLoss, softTargetLoss, type DistillationLossOptions } from './distillation-loss.js';
export { featureDistillationLoss, createFeatureAdapter, type FeatureAdapterOptions } from './feature-distillation.js';
export { attentionTransferLoss, attentionMap, type AttentionTransferOptions } from './attention-transfer.js';
export { Distiller, type DistillerOptions } from './distiller.js';
export { fitDistiller, type FitDistillerOptions } from './fit-distiller.js';
