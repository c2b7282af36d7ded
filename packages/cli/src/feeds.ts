// Checks feeds against a graph's declared inputs before any engine sees them, so every backend
// reports a missing, unknown or mistyped input the same way (names, dtypes, static dims).
import { ConfigError, DTypeError, type Graph, ShapeError, type TensorData, formatShape } from '@efficientdl/ir';

export function checkFeeds(graph: Graph, feeds: Readonly<Record<string, TensorData>>): void {
  const declared = new Map(graph.inputs.map((value) => [value.name, value]));
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      throw new ConfigError(`model has no input '${name}' (inputs: ${[...declared.keys()].join(', ')})`, { value: name });
    }
  }
  for (const value of graph.inputs) {
    const feed = feeds[value.name];
    if (!feed) throw new ConfigError(`model input '${value.name}' ${value.dtype}${formatShape(value.shape)} was not given`, { value: value.name });
    if (feed.dtype !== value.dtype) {
      throw new DTypeError(`model input '${value.name}' is ${value.dtype}, got ${feed.dtype}${formatShape(feed.shape)}`, { value: value.name });
    }
    const fits = feed.shape.length === value.shape.length && value.shape.every((dim, axis) => typeof dim !== 'number' || dim === feed.shape[axis]);
    if (!fits) {
      throw new ShapeError(`model input '${value.name}' has shape ${formatShape(value.shape)}, got ${formatShape(feed.shape)}`, { value: value.name });
    }
  }
}
