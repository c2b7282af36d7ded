// applyKmeans: Deep Compression's weight sharing on a model (a Graph or a GraphModule): cluster
// every chosen Conv/Gemm/MatMul weight into 2^bits shared values, rewrite the graph so that the
// weights are read from the codebooks, and optionally fine-tune the centroids with nn's fit.
// The result carries the final KmeansLayers (for packing and size reports) and the model.
import { ConfigError, type Graph, type TensorData } from '@efficientdl/ir';
import { Adam, type BatchSource, type EpochRecord, GraphModule, type Module, type ProgressMode, crossEntropy, fit } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import { bakeKmeans, kmeansGraph, withCodebooks } from './kmeans-graph.js';
import { type KmeansLayer, checkBits, clusterWeight } from './kmeans-layer.js';
import { selectLayerWeights } from './layer-weights.js';

/** JSON-serializable k-means configuration. */
export interface KmeansConfig {
  kind?: 'kmeans';
  /** Bits per weight index (codebook of 2^bits centroids), 1..8. */
  bits: number;
  /** Weights to cluster (initializer names); default every Conv/ConvTranspose/Gemm/MatMul weight. */
  layers?: string[];
  /** Per-weight bits overriding `bits` (e.g. from a mixed-precision plan). */
  bitsPerLayer?: Record<string, number>;
  /** Maximum Lloyd iterations (default 30). */
  iterations?: number;
  /** Weights that are exactly 0 stay 0 and take no centroid (default true). */
  preserveZeros?: boolean;
  /** Fine-tune the centroids (and the other float parameters) for this many epochs with Adam. */
  fineTune?: { epochs: number; lr?: number };
}

/** What fine-tuning needs besides the config (not serializable). */
export interface KmeansContext {
  /** Pruning masks by weight name (nonzero = kept), in addition to exact zeros. */
  masks?: Readonly<Record<string, TensorData>>;
  trainLoader?: BatchSource;
  /** loss(logits, targets); default cross-entropy. */
  loss?: (output: Tensor, target: Tensor) => Tensor;
  progress?: ProgressMode;
}

export interface KmeansResult {
  /** The model with shared weights (codebooks are its trainable parameters). */
  model: GraphModule;
  /** The clustered layers with their codebooks after applyKmeans (fine-tuned when asked). */
  layers: KmeansLayer[];
  /** The layers with the model's CURRENT codebooks (after any further training of `model`). */
  currentLayers(): KmeansLayer[];
  /** Per-epoch records of the fine-tuning (empty without fineTune). */
  history: EpochRecord[];
  /** The model with plain float weights again (current codebook[index]), e.g. for ONNX export. */
  bake(): Graph;
}

/** Clusters the chosen weights of `graph`; returns the layers and the rewritten graph. */
export function clusterGraph(graph: Graph, config: KmeansConfig, masks: Readonly<Record<string, TensorData>> = {}): { graph: Graph; layers: KmeansLayer[] } {
  checkBits(config.bits, 'applyKmeans');
  const weights = selectLayerWeights(graph, config.layers, 'applyKmeans');
  const layers = weights.map((weight) =>
    clusterWeight({
      name: weight.name,
      weight: weight.data,
      bits: config.bitsPerLayer?.[weight.name] ?? config.bits,
      iterations: config.iterations,
      mask: masks[weight.name],
      preserveZeros: config.preserveZeros,
    }),
  );
  return { graph: kmeansGraph(graph, layers), layers };
}

async function fineTune(model: GraphModule, config: KmeansConfig, context: KmeansContext): Promise<EpochRecord[]> {
  const options = config.fineTune;
  if (!options || options.epochs === 0) return [];
  if (!context.trainLoader) throw new ConfigError('applyKmeans: fineTune needs a trainLoader in the context');
  const { history } = await fit({
    model: model as Module, // a one-output GraphModule returns one Tensor
    optimizer: new Adam(model.parameters(), { lr: options.lr ?? 1e-4 }),
    loss: context.loss ?? ((logits, targets) => crossEntropy(logits, targets)),
    trainLoader: context.trainLoader,
    epochs: options.epochs,
    progress: context.progress ?? 'none',
    epochSummary: false,
  });
  model.eval();
  return history;
}

/** Clusters, rewrites and (optionally) fine-tunes; see the file header. */
export async function applyKmeans(model: Graph | GraphModule, config: KmeansConfig, context: KmeansContext = {}): Promise<KmeansResult> {
  const source = model instanceof GraphModule ? model.toGraph() : model;
  const clustered = clusterGraph(source, config, context.masks);
  const module = GraphModule.fromGraph(clustered.graph);
  const history = await fineTune(module, config, context);
  const currentLayers = () => withCodebooks(clustered.layers, (name) => module.getParameter(name)?.values as Float32Array | undefined);
  return { model: module, layers: currentLayers(), currentLayers, history, bake: () => bakeKmeans(module.toGraph(), currentLayers()) };
}
