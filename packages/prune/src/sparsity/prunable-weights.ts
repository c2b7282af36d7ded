// The weights sparsity applies to, found in an nn Module (Conv2d / Linear weights) or a
// GraphModule (weight initializers of Conv, Gemm and 2-D MatMul nodes), each viewed as a
// (rows = outputs, cols = reduction) matrix over its storage, and the name resolution of
// perLayerRatios / ignore: a layer answers to its layer name (`features.0`), its weight name
// (`features.0.weight`) and, in a GraphModule, its node name.
import { ConfigError } from '@efficientdl/ir';
import { Conv2d, GraphModule, Linear, type Module } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';

export interface PrunableWeight {
  /** Layer name: the weight name without its `.weight` suffix. */
  readonly layer: string;
  /** The parameter (initializer) name, the key of the masks. */
  readonly parameter: string;
  /** Other names the layer answers to (the graph node name). */
  readonly aliases: readonly string[];
  readonly tensor: Tensor;
  readonly kind: 'conv' | 'linear';
  /** Output units (rows) and reduction length (cols) of the matrix view. */
  readonly rows: number;
  readonly cols: number;
  /** true when storage is (cols, rows) — Gemm without transB, MatMul — instead of (rows, cols). */
  readonly transposed: boolean;
  /** Elements of one kernel (kH·kW for a conv, 1 for a linear layer). */
  readonly kernelVolume: number;
}

export type SparsityModel = Module<Tensor | Tensor[]> | GraphModule;

/** Storage index of element (row, col) of the matrix view. */
export function storageIndex(weight: PrunableWeight, row: number, col: number): number {
  return weight.transposed ? col * weight.rows + row : row * weight.cols + col;
}

function layerOf(parameter: string): string {
  return parameter.endsWith('.weight') ? parameter.slice(0, -'.weight'.length) : parameter;
}

function fromModule(model: Module<Tensor | Tensor[]>): PrunableWeight[] {
  const weights: PrunableWeight[] = [];
  for (const [path, module] of model.namedModules()) {
    if (!(module instanceof Conv2d) && !(module instanceof Linear)) continue;
    const tensor = module.getParameter('weight') as Tensor;
    const parameter = path ? `${path}.weight` : 'weight';
    // conv weight: (M, C/group, kH, kW); linear weight: (out, in)
    const [rows, ...rest] = tensor.shape as [number, ...number[]];
    const cols = rest.reduce((product, dim) => product * dim, 1);
    const kernelVolume = module instanceof Conv2d ? rest.slice(1).reduce((product, dim) => product * dim, 1) : 1;
    weights.push({ layer: path || 'weight', parameter, aliases: [], tensor, kind: module instanceof Conv2d ? 'conv' : 'linear', rows, cols, transposed: false, kernelVolume });
  }
  return weights;
}

function fromGraphModule(model: GraphModule): PrunableWeight[] {
  const weights: PrunableWeight[] = [];
  const seen = new Set<string>();
  for (const node of model.graph.nodes) {
    if (node.domain !== '' || !['Conv', 'Gemm', 'MatMul'].includes(node.op)) continue;
    const parameter = node.inputs[1] ?? '';
    const tensor = model.getParameter(parameter);
    if (!tensor || seen.has(parameter) || tensor.dtype !== 'float32') continue;
    if (node.op !== 'Conv' && (tensor.rank !== 2 || node.attrs.transA === 1)) continue;
    seen.add(parameter);
    const shape = tensor.shape;
    if (node.op === 'Conv') {
      // W: (M, C/group, k1, …)
      const kernelVolume = shape.slice(2).reduce((product, dim) => product * dim, 1);
      weights.push({ layer: layerOf(parameter), parameter, aliases: [node.name], tensor, kind: 'conv', rows: shape[0] as number, cols: (shape[1] as number) * kernelVolume, transposed: false, kernelVolume });
      continue;
    }
    // Gemm transB=1: (N, K); Gemm transB=0 and MatMul: (K, N)
    const transposed = !(node.op === 'Gemm' && node.attrs.transB === 1);
    const [rows, cols] = transposed ? [shape[1] as number, shape[0] as number] : [shape[0] as number, shape[1] as number];
    weights.push({ layer: layerOf(parameter), parameter, aliases: [node.name], tensor, kind: 'linear', rows, cols, transposed, kernelVolume: 1 });
  }
  return weights;
}

/** Every prunable weight of the model, in model order. */
export function findPrunableWeights(model: SparsityModel): PrunableWeight[] {
  return model instanceof GraphModule ? fromGraphModule(model) : fromModule(model);
}

/** The weight a name refers to (layer, weight or node name), or a ConfigError naming it. */
export function resolveLayer(weights: readonly PrunableWeight[], name: string, what: string): PrunableWeight {
  const found = weights.find((weight) => weight.layer === name || weight.parameter === name || weight.aliases.includes(name));
  if (!found) {
    const known = weights.map((weight) => weight.layer).join(', ');
    throw new ConfigError(`pruneSparse: ${what} names layer '${name}', which is not a prunable Conv/Gemm/Linear layer (layers: ${known})`, { layer: name });
  }
  return found;
}

/** Whether an ignore entry (name or pattern) matches the weight. */
export function matchesIgnore(weight: PrunableWeight, entry: string | RegExp): boolean {
  const names = [weight.layer, weight.parameter, ...weight.aliases];
  return typeof entry === 'string' ? names.includes(entry) : names.some((name) => name.search(entry) >= 0);
}
