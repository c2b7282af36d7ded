// End-to-end gradchecks through chains of ops (gradients composed by the autograd walk):
// a small CNN with a cross-entropy-style loss, and an attention-like block.
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, it } from 'vitest';
import { runOp, runUnary } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';

const float32 = (shape: number[], seed: number, scale = 1) => gradcheckTensor(shape, { seed, dtype: 'float32', low: -scale, high: scale });

describe('composed gradients', () => {
  it('Conv → BatchNormalization (training) → Gelu → AveragePool → Flatten → Gemm → LogSoftmax → Gather', () => {
    const labels = F.tensor([0, 2], [2], 'int64');
    const mean = F.zeros([3]);
    const variance = F.ones([3]);
    const network = (x: Tensor, weight: Tensor, scale: Tensor, bias: Tensor, dense: Tensor) => {
      const features = runUnary('Conv', [x, weight], { pads: [1, 1, 1, 1] });
      const normalized = runOp('BatchNormalization', [features, scale, bias, mean, variance], { training_mode: 1 }, { outputCount: 3 })[0] as Tensor;
      const pooled = runUnary('AveragePool', [F.gelu(normalized)], { kernel_shape: [2, 2], strides: [2, 2] });
      const logits = F.gemm(F.flatten(pooled, 1), dense, undefined, { transB: true });
      const logProbabilities = F.logSoftmax(logits, -1); // (2, 3)
      const picked = F.gather(F.reshape(logProbabilities, [6]), F.add(labels, F.int64([0, 3])), 0);
      return F.neg(F.reduceMean(picked, { keepDims: false }));
    };
    const inputs = [float32([2, 2, 4, 4], 1), float32([3, 2, 3, 3], 2, 0.5), float32([3], 3), float32([3], 4), float32([3, 12], 5, 0.5)];
    gradcheck(network, inputs, { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
  });

  it('attention-like block: MatMul → Softmax → MatMul with LayerNormalization and a residual (float64)', () => {
    const block = (x: Tensor, query: Tensor, key: Tensor, scale: Tensor) => {
      const q = F.matmul(x, query); // (2, 4, 3)
      const k = F.matmul(x, key);
      const scores = F.div(F.matmul(q, F.transpose(k, [0, 2, 1])), Math.sqrt(3));
      const attended = F.matmul(F.softmax(scores, -1), q);
      const residual = F.add(attended, F.slice(x, [0], [3], [2]));
      return runUnary('LayerNormalization', [residual, scale]);
    };
    const inputs = [2, 3, 4, 5].map((seed, index) => gradcheckTensor([[2, 4, 5], [5, 3], [5, 3], [3]][index] as number[], { seed }));
    gradcheck(block, inputs);
  });
});
