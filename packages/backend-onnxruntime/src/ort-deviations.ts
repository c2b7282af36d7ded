// Known places where onnxruntime's CPU provider computes something other than ONNX specifies;
// the backend refuses them with UnsupportedOpError instead of returning ORT's numbers.
// - Resize mode=cubic + coordinate_transformation_mode=align_corners driven by `scales`: ONNX maps
//   x_original = x_resized·(in − 1)/(in·scale − 1), ORT uses the rounded output length for
//   in·scale, so the results differ whenever in·scale is not an integer (e.g. 4·0.8).
//   reference: https://onnx.ai/onnx/operators/onnx__Resize.html and onnx/onnx#2462
import { type AttrValue, type Graph, type TensorData, UnsupportedOpError, toNumberArray } from '@efficientdl/ir';

interface ResizeCall {
  op: string;
  node: string;
  attrs: Readonly<Record<string, AttrValue>>;
  /** X's shape, where known. */
  xShape: readonly (number | string)[] | undefined;
  scales: TensorData | undefined;
}

/** Refuses a Resize that onnxruntime would compute differently from ONNX (see the file header). */
export function checkResizeDeviation(call: ResizeCall): void {
  const { attrs, xShape, scales } = call;
  if (call.op !== 'Resize' || attrs.mode !== 'cubic' || attrs.coordinate_transformation_mode !== 'align_corners') return;
  if (!scales || !xShape || scales.shape[0] === 0) return;
  const factors = Array.from(toNumberArray(scales));
  const axes = Array.isArray(attrs.axes) ? (attrs.axes as number[]).map((axis) => (axis < 0 ? axis + xShape.length : axis)) : factors.map((_, index) => index);
  axes.forEach((axis, index) => {
    const size = xShape[axis];
    const scale = factors[index] as number;
    const scaled = typeof size === 'number' ? size * scale : Number.NaN;
    if (Number.isNaN(scaled) || Math.abs(scaled - Math.round(scaled)) < 1e-6) return;
    throw new UnsupportedOpError(
      `backend 'onnxruntime' cannot run Resize (node '${call.node}'): cubic align_corners with scale ${scale} on axis ${axis} (size ${size} → ${scaled}) — onnxruntime maps coordinates with the rounded output length, ONNX with ${scaled}`,
      { op: 'Resize', node: call.node, backend: 'onnxruntime' },
    );
  });
}

/**
 * The deviation checks of a whole graph, run against each run's feeds (scales and X may be graph
 * inputs). Values computed inside the graph cannot be checked and are let through.
 */
export function graphDeviationCheck(graph: Graph): (feeds: Readonly<Record<string, TensorData>>) => void {
  const resizes = graph.nodes.filter((node) => node.op === 'Resize' && node.domain === '' && (node.inputs[2] ?? '') !== '');
  const declared = new Map([...graph.valueInfo.values(), ...graph.inputs].map((value) => [value.name, value.shape] as const));
  return (feeds) => {
    for (const node of resizes) {
      const [x = '', , scales = ''] = node.inputs;
      const xShape = feeds[x]?.shape ?? graph.initializers.get(x)?.shape ?? declared.get(x);
      checkResizeDeviation({ op: node.op, node: node.name, attrs: node.attrs, xShape, scales: feeds[scales] ?? graph.initializers.get(scales) });
    }
  };
}
