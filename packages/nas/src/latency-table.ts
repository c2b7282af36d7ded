// Latency predictor: a lookup table of per-op latencies measured on a real backend (once-for-all,
// ProxylessNAS). A graph's latency is predicted as the fixed per-run overhead plus the sum of
// its nodes' entries; each distinct op configuration (op, attributes, input shapes) is measured
// once, as a one-node graph, through the `measure` callback (the package never imports a backend:
// the caller measures on its engine, e.g. engineLatency() on backend-cpu). Optionally the sum is
// scaled by a factor fitted on a few whole graphs (fitScale), which absorbs what one-node timings
// miss (cache reuse between consecutive ops, per-graph bookkeeping).
import { type Graph, type Node, type Value, bindDims, createGraph, inferShapes, topologicalOrder } from '@efficientdl/ir';

/** Milliseconds one run of `graph` takes (batch dims bound by the measurer). */
export type MeasureLatency = (graph: Graph) => number;

export interface LatencyTableOptions {
  measure: MeasureLatency;
  /** Values for symbolic dims when predicting (default { N: 1 }). */
  dims?: Readonly<Record<string, number>>;
}

export interface LatencyTableJson {
  kind: 'latency-table';
  overheadMs: number;
  scale: number;
  entries: Record<string, number>;
}

function describeAttributes(node: Node): string {
  return Object.keys(node.attrs)
    .sort()
    .map((key) => `${key}=${JSON.stringify(node.attrs[key])}`)
    .join(',');
}

export class LatencyTable {
  private readonly measure: MeasureLatency;
  private readonly dims: Readonly<Record<string, number>>;
  private readonly entries = new Map<string, number>();
  private overhead: number | undefined;
  /** Factor applied to the sum of op entries (1 until fitScale). */
  scale = 1;

  constructor(options: LatencyTableOptions) {
    this.measure = options.measure;
    this.dims = options.dims ?? { N: 1 };
  }

  /** Number of op configurations measured so far. */
  get size(): number {
    return this.entries.size;
  }

  /** Predicted milliseconds for one run of `graph`. */
  predict(graph: Graph): number {
    const { overhead, ops } = this.parts(graph);
    return overhead + this.scale * ops;
  }

  private parts(graph: Graph): { overhead: number; ops: number } {
    const inferred = inferShapes(bindDims(graph, this.dims));
    const types = new Map<string, Value>();
    for (const value of [...inferred.inputs, ...inferred.valueInfo.values(), ...inferred.outputs]) types.set(value.name, value);
    const overhead = this.overheadMs(inferred);
    let ops = 0;
    for (const node of topologicalOrder(inferred)) ops += this.nodeLatency(inferred, node, types);
    return { overhead, ops };
  }

  /**
   * Fits `scale` by least squares (through the origin) so that overhead + scale · Σ entries matches
   * whole-graph measurements of `graphs`; returns the fitted scale.
   */
  fitScale(graphs: readonly Graph[]): number {
    let numerator = 0;
    let denominator = 0;
    for (const graph of graphs) {
      const { overhead, ops } = this.parts(graph);
      const measured = this.measure(graph) - overhead;
      numerator += ops * measured;
      denominator += ops * ops;
    }
    if (denominator > 0 && numerator > 0) this.scale = numerator / denominator;
    return this.scale;
  }

  /** The cost of running a graph that does nothing (feeds checked, outputs collected). */
  private overheadMs(graph: Graph): number {
    if (this.overhead === undefined) {
      const input = graph.inputs[0];
      const empty = createGraph({ name: 'overhead', nodes: [], inputs: input ? [input] : [], outputs: input ? [input] : [] });
      this.overhead = Math.max(0, this.measure(empty));
    }
    return this.overhead;
  }

  /** Key of an op configuration: op, domain, attributes, input dtypes/shapes, and which inputs are constants. */
  private nodeKey(graph: Graph, node: Node, types: Map<string, Value>): string {
    const inputs = node.inputs.map((name) => {
      if (name === '') return '-';
      const constant = graph.initializers.get(name);
      if (constant) return `const:${constant.dtype}[${constant.shape.join('x')}]${constant.dtype === 'int64' ? `=${[...constant.data].join(',')}` : ''}`;
      const value = types.get(name);
      return `${value?.dtype}[${value?.shape.join('x')}]`;
    });
    return `${node.domain}::${node.op}(${inputs.join(';')}){${describeAttributes(node)}}`;
  }

  private nodeLatency(graph: Graph, node: Node, types: Map<string, Value>): number {
    const key = this.nodeKey(graph, node, types);
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const single = createGraph({
      name: `lut_${node.op}`,
      nodes: [node],
      inputs: node.inputs.filter((name) => name !== '' && !graph.initializers.has(name)).map((name) => types.get(name) as Value),
      outputs: node.outputs.filter((name) => name !== '').map((name) => types.get(name) as Value),
      initializers: new Map(node.inputs.filter((name) => graph.initializers.has(name)).map((name) => [name, graph.initializers.get(name) as never])),
      opsets: graph.opsets,
    });
    const latency = Math.max(0, this.measure(single) - (this.overhead ?? 0));
    this.entries.set(key, latency);
    return latency;
  }

  toJSON(): LatencyTableJson {
    return { kind: 'latency-table', overheadMs: this.overhead ?? 0, scale: this.scale, entries: Object.fromEntries(this.entries) };
  }
}

/** Mean absolute percentage error of predictions against measurements. */
export function meanAbsolutePercentageError(pairs: readonly { predicted: number; measured: number }[]): number {
  if (pairs.length === 0) return 0;
  return pairs.reduce((total, pair) => total + Math.abs(pair.predicted - pair.measured) / pair.measured, 0) / pairs.length;
}
