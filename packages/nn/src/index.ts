// @efficientdl/nn — Module, layers, losses, optimizers, LR schedules, data loading, Trainer with
// checkpoints, GraphModule.
export { Module, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { GraphModule } from './graph-module.js';
export { type InitOptions, fanIn, uniform, normal, kaimingUniform, biasUniform } from './init.js';

export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d, type Conv2dOptions, type Pair, convPads } from './layers/conv2d.js';
export { BatchNorm2d, type BatchNorm2dOptions } from './layers/batch-norm.js';
export { LayerNorm, type LayerNormOptions } from './layers/layer-norm.js';
export { GroupNorm, type GroupNormOptions } from './layers/group-norm.js';
export { Dropout, type DropoutOptions } from './layers/dropout.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool, type Pool2dOptions } from './layers/pooling.js';
export { ReLU, LeakyReLU, GELU, Sigmoid, Tanh, HardSwish, Softmax } from './layers/activations.js';
export { Flatten } from './layers/flatten.js';
export { Identity } from './layers/identity.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { Sequential } from './layers/sequential.js';

export { crossEntropy, type CrossEntropyOptions } from './losses/cross-entropy.js';
export { mseLoss } from './losses/mse-loss.js';
export { klDivergence, type KlDivergenceOptions } from './losses/kl-divergence.js';
export type { Reduction } from './losses/reduction.js';

export { Optimizer, type OptimizerStateDict } from './optim/optimizer.js';
export { SGD, type SgdOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { LRScheduler, StepLR, CosineAnnealingLR, OneCycleLR, type OneCycleOptions, type SchedulerState } from './optim/lr-scheduler.js';

export { type Dataset, type Sample, TensorDataset, gatherRows } from './data/dataset.js';
export { DataLoader, type DataLoaderOptions, collate } from './data/data-loader.js';
export { parseIdx, serializeIdx, type ParseIdxOptions } from './data/idx.js';
export { readIdxFile, maybeGunzip, imageClassificationDataset, loadIdxImageDataset, type ImageDatasetOptions } from './data/idx-file.js';

export { fit, type FitOptions, type FitResult, type EpochRecord, type BatchSource } from './train/trainer.js';
export { evaluate, countCorrect } from './train/evaluate.js';
export { saveCheckpoint, loadLatestCheckpoint, checkpointName, type TrainerState, type CheckpointParts } from './train/checkpoint.js';
export { ProgressReporter, formatDuration, formatEpochLine, type ProgressMode, type ProgressStream } from './train/progress.js';
