// Exports the trained CNN to ONNX: trace in eval mode with a symbolic batch dim, then
// @efficientdl/onnx's exporter. The graph takes pixels in [0, 1] (normalization is inside).
import { writeFile } from 'node:fs/promises';
import { exportOnnx } from '@efficientdl/onnx';
import { trace, zeros } from '@efficientdl/tensor';
import type { FashionCnn } from './model.js';

export async function exportModelToOnnx(model: FashionCnn, path: string, options: { opset?: 17 | 21 } = {}): Promise<number> {
  const wasTraining = model.training;
  model.eval();
  try {
    // pixels: (N, 1, 28, 28) → logits: (N, 10)
    const graph = trace(model, [zeros([1, 1, 28, 28])], { name: 'fashion_cnn', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
    const bytes = exportOnnx(graph, { opset: options.opset ?? 17 });
    await writeFile(path, bytes);
    return bytes.length;
  } finally {
    if (wasTraining) model.train();
  }
}
