// Weight-sparse workloads: the Fashion-MNIST CNN's conv1, conv2 and classifier Gemm with the
// same pruned weights run dense (Conv / Gemm, fp32) and sparse (ai.efficientdl SparseConv /
// SparseGemm): 80 % element sparsity in CSR and 2:4 in N:M form. Compare the dense and sparse
// rows on engine cpu; the sparse ops have no tfjs / onnxruntime kernel (those skip), and cpu-ref
// would run the same fast sparse kernels. GFLOP/s counts the DENSE layer's operations (effective
// throughput), so dense and sparse rows compare directly. Before timing, each sparse graph's
// output is checked against its dense twin on backend-cpu.
import { type Attributes, EFFICIENTDL_DOMAIN, type TensorData, createGraph, denseToCsr, denseToNm } from '@efficientdl/ir';
import { checkAgreement } from './agreement.js';
import { ENGINE_NAMES, type EngineName } from './engines.js';
import { type GraphWorkloadSpec, graphSetup } from './graph-workload.js';
import { randomFloat32 } from './random-data.js';
import type { Preparer, Workload } from './workload-types.js';

type Variant = 'dense' | 'csr80' | '2of4';

interface LayerSpec {
  readonly name: string;
  /** Input shape without the batch: (C, H, W) for a conv, (K) for the Gemm. */
  readonly input: readonly number[];
  /** Weight: (M, C, 3, 3) or (N, K). */
  readonly weight: readonly number[];
}

const LAYERS: readonly LayerSpec[] = [
  { name: 'conv1', input: [1, 28, 28], weight: [16, 1, 3, 3] },
  { name: 'conv2', input: [16, 14, 14], weight: [32, 16, 3, 3] },
  { name: 'fc', input: [1568], weight: [10, 1568] },
];

/** Zeroes the `ratio` smallest-magnitude weights (ties by position). */
function pruneSmallest(weight: TensorData, ratio: number): TensorData {
  const values = (weight.data as Float32Array).slice();
  const order = [...values.keys()].sort((a, b) => Math.abs(values[a] as number) - Math.abs(values[b] as number) || a - b);
  for (const index of order.slice(0, Math.round(ratio * values.length))) values[index] = 0;
  return { ...weight, data: values };
}

/** Keeps the 2 largest of every 4 consecutive weights of each row (W[0] rows). */
function pruneTwoOfFour(weight: TensorData): TensorData {
  const values = (weight.data as Float32Array).slice();
  const cols = values.length / (weight.shape[0] as number);
  for (let start = 0; start < values.length; start += cols) {
    for (let group = start; group < start + cols; group += 4) {
      const members = [0, 1, 2, 3].map((offset) => group + offset).filter((index) => index < start + cols);
      members.sort((a, b) => Math.abs(values[a] as number) - Math.abs(values[b] as number));
      for (const index of members.slice(0, members.length - 2)) values[index] = 0;
    }
  }
  return { ...weight, data: values };
}

function layerGraph(layer: LayerSpec, batch: number, variant: Variant, weight: TensorData): GraphWorkloadSpec {
  const isConv = layer.weight.length === 4;
  const outputs = layer.weight[0] as number;
  const x = randomFloat32([batch, ...layer.input], 31);
  const bias = randomFloat32([outputs], 32);
  const outputShape = isConv ? [batch, outputs, layer.input[1] as number, layer.input[2] as number] : [batch, outputs];
  const convAttrs: Attributes = isConv ? { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } : {};
  const initializers: Record<string, TensorData> = { bias };
  let node: { op: string; domain?: string; inputs: string[]; attrs: Attributes };
  if (variant === 'dense') {
    initializers.w = weight;
    node = { op: isConv ? 'Conv' : 'Gemm', inputs: ['x', 'w', 'bias'], attrs: isConv ? convAttrs : { transB: 1 } };
  } else {
    const packed = variant === 'csr80' ? denseToCsr(weight) : denseToNm(weight, { n: 2, m: 4 });
    initializers.values = packed.values;
    initializers.indices = packed.indices;
    if ('rowPointers' in packed) initializers.pointers = packed.rowPointers;
    const format: Attributes = variant === 'csr80' ? { format: 'csr' } : { format: 'nm', n: 2, m: 4 };
    node = { op: isConv ? 'SparseConv' : 'SparseGemm', domain: EFFICIENTDL_DOMAIN, inputs: ['x', 'values', 'indices', 'rowPointers' in packed ? 'pointers' : '', 'bias'], attrs: { ...convAttrs, ...format, weight_shape: [...layer.weight] } };
  }
  const graph = createGraph({
    name: `sparse_${layer.name}_${variant}`,
    nodes: [{ ...node, outputs: ['y'] }],
    inputs: [{ name: 'x', dtype: 'float32', shape: [batch, ...layer.input] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: outputShape }],
    initializers,
  });
  const macs = batch * outputs * (layer.weight.slice(1).reduce((product, dim) => product * dim, 1)) * (isConv ? (layer.input[1] as number) * (layer.input[2] as number) : 1);
  return { graph, feeds: { x }, flops: 2 * macs };
}

const SPARSE_ONLY_ON_CPU = 'sparse ai.efficientdl op: compare with the dense row on engine cpu';

/** The cpu preparer of a sparse graph, checking its output against the dense twin first. */
function checkedCpuPreparer(sparse: GraphWorkloadSpec, dense: GraphWorkloadSpec, name: string): Preparer {
  return async (engines) => {
    const prepare = graphSetup(sparse).engines.cpu as Preparer;
    const runner = await prepare(engines);
    const denseRunner = await (graphSetup(dense).engines.cpu as Preparer)(engines);
    try {
      const [actual, reference] = [await runner.output?.(), await denseRunner.output?.()];
      if (actual && reference) checkAgreement({ workload: name, engine: 'cpu (sparse)', referenceEngine: 'cpu (dense twin)', actual, reference });
    } finally {
      denseRunner.dispose?.();
    }
    return runner;
  };
}

function sparseLayerWorkload(layer: LayerSpec, batch: number, variant: Variant): Workload {
  const name = `sparse-${layer.name}-${variant}-b${batch}`;
  const what = variant === 'dense' ? 'dense fp32 (same pruned weights)' : variant === 'csr80' ? '80 % element sparsity, CSR' : '2:4, N:M packed';
  const description = `FashionCnn ${layer.name} weight (${layer.weight.join('×')}), batch ${batch}: ${what}; GFLOP/s counts dense operations`;
  return {
    name,
    description,
    setup: () => {
      const base = randomFloat32(layer.weight, 33);
      const weight = variant === '2of4' ? pruneTwoOfFour(base) : pruneSmallest(base, 0.8);
      const spec = layerGraph(layer, batch, variant, weight);
      if (variant === 'dense') return graphSetup(spec);
      const engines = {} as Record<EngineName, Preparer | string>;
      for (const engine of ENGINE_NAMES) engines[engine] = SPARSE_ONLY_ON_CPU;
      engines.cpu = checkedCpuPreparer(spec, layerGraph(layer, batch, 'dense', weight), name);
      return { flops: spec.flops ?? 0, engines };
    },
  };
}

/** Per layer of the CNN: dense, CSR 80 % and 2:4 (dense first, for the ratio). */
export function sparseWorkloads(options: { batch: number }): Workload[] {
  return LAYERS.flatMap((layer) => (['dense', 'csr80', '2of4'] as const).map((variant) => sparseLayerWorkload(layer, options.batch, variant)));
}
