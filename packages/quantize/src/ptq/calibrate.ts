// Calibration: runs a float graph on every calibration batch through the tensor engine, with the
// planned activations added as extra graph outputs, and feeds each one to its observer. Only the
// observers' state (min/max or a bounded histogram) outlives a batch.
import { ConfigError, type Graph, type TensorData, type Value, inferValueTypes } from '@efficientdl/ir';
import { Tensor, noGrad, runGraph } from '@efficientdl/tensor';
import type { Observer } from '../observers/observer.js';

/** One calibration batch: the graph's single input, its inputs in order (extra entries such as labels are ignored), or a name → tensor map. */
export type CalibrationBatch = Tensor | TensorData | readonly (Tensor | TensorData)[] | Readonly<Record<string, Tensor | TensorData>>;

export type CalibrationData = Iterable<CalibrationBatch> | AsyncIterable<CalibrationBatch>;

export interface CalibrationResult {
  readonly batches: number;
  readonly samples: number;
}

function isTensorLike(value: unknown): value is Tensor | TensorData {
  return value instanceof Tensor || (typeof value === 'object' && value !== null && 'dtype' in value && 'shape' in value && 'data' in value);
}

/** Maps a batch onto the graph's inputs by position or name. */
export function feedsOf(graph: Graph, batch: CalibrationBatch): Record<string, Tensor | TensorData> {
  const inputs = graph.inputs.filter((value) => !graph.initializers.has(value.name));
  if (isTensorLike(batch)) {
    if (inputs.length !== 1) throw new ConfigError(`graph '${graph.name}' has ${inputs.length} inputs; a calibration batch must name them`, { graph: graph.name });
    return { [(inputs[0] as Value).name]: batch };
  }
  if (Array.isArray(batch)) {
    if (batch.length < inputs.length) {
      throw new ConfigError(`calibration batch holds ${batch.length} tensors, graph '${graph.name}' needs ${inputs.length}`, { graph: graph.name });
    }
    return Object.fromEntries(inputs.map((value, index) => [value.name, batch[index] as Tensor | TensorData]));
  }
  return { ...(batch as Readonly<Record<string, Tensor | TensorData>>) };
}

function batchSize(feeds: Record<string, Tensor | TensorData>): number {
  const first = Object.values(feeds)[0];
  return first?.shape[0] ?? 0;
}

/** Float values of a tensor for an observer (a view, no copy, for float32 storage). */
function floatValues(tensor: Tensor): ArrayLike<number> {
  const data = tensor.data.data;
  if (data instanceof Float32Array || data instanceof Float64Array) return data;
  throw new ConfigError(`cannot calibrate '${tensor.dtype}' values; only float activations are observed`, { dtype: tensor.dtype });
}

/** The graph with every observed value also exposed as an output. */
function withObservedOutputs(graph: Graph, observed: readonly string[]): Graph {
  const types = inferValueTypes(graph);
  const existing = new Set(graph.outputs.map((value) => value.name));
  const extra = observed
    .filter((name) => !existing.has(name))
    .map((name): Value => {
      const info = types.get(name);
      if (!info) throw new ConfigError(`cannot observe '${name}': no type is known for it`, { value: name });
      return { name, dtype: info.dtype, shape: info.shape };
    });
  return { ...graph, outputs: [...graph.outputs, ...extra] };
}

/** Runs every batch, feeding observers[name] with the value `name`; empty data is a ConfigError. */
export async function calibrate(graph: Graph, data: CalibrationData, observers: ReadonlyMap<string, Observer>): Promise<CalibrationResult> {
  const probe = withObservedOutputs(graph, [...observers.keys()]);
  let batches = 0;
  let samples = 0;
  for await (const batch of data as AsyncIterable<CalibrationBatch>) {
    const feeds = feedsOf(graph, batch);
    const outputs = noGrad(() => runGraph(probe, feeds));
    for (const [name, observer] of observers) observer.observe(floatValues(outputs[name] as Tensor));
    batches++;
    samples += batchSize(feeds);
  }
  if (batches === 0) throw new ConfigError('static quantization needs calibration data, but the calibration set is empty', { graph: graph.name });
  return { batches, samples };
}
