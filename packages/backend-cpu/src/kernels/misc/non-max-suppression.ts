// NonMaxSuppression(boxes (N, S, 4), scores (N, C, S), max_output_boxes_per_class?, iou_threshold?,
// score_threshold?) → selected_indices (num_selected, 3) int64 rows [batch, class, box]. Per batch
// and class: keep boxes with score > score_threshold, visit them by descending score (ties: lower
// box index first), select a box unless its IoU with an already selected one is > iou_threshold,
// stop after max_output_boxes_per_class (0 or absent: select nothing).
// reference: https://onnx.ai/onnx/operators/onnx__NonMaxSuppression.html
import { type Attributes, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { checkDType, requireInput, shapeError } from '../elementwise/kernel-support.js';

interface Box {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** A box in corner form; corners may come in either order, center form is (x, y, w, h). */
function readBox(values: Float64Array, offset: number, centerPointBox: boolean): Box {
  const [a, b, c, d] = [0, 1, 2, 3].map((index) => values[offset + index] as number) as [number, number, number, number];
  if (centerPointBox) return { left: a - c / 2, right: a + c / 2, top: b - d / 2, bottom: b + d / 2 };
  return { top: Math.min(a, c), bottom: Math.max(a, c), left: Math.min(b, d), right: Math.max(b, d) };
}

export function intersectionOverUnion(first: Box, second: Box): number {
  const area = (box: Box) => (box.bottom - box.top) * (box.right - box.left);
  const height = Math.min(first.bottom, second.bottom) - Math.max(first.top, second.top);
  const width = Math.min(first.right, second.right) - Math.max(first.left, second.left);
  if (height <= 0 || width <= 0) return 0;
  const intersection = height * width;
  const union = area(first) + area(second) - intersection;
  return union <= 0 ? 0 : intersection / union;
}

function scalarInput(input: TensorData | undefined, fallback: number): number {
  return input && input.data.length > 0 ? (toNumberArray(input)[0] as number) : fallback;
}

function nonMaxSuppressionKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const boxes = requireInput(inputs, 0, context);
  const scores = requireInput(inputs, 1, context);
  checkDType(boxes, ['float32'], context, 'boxes');
  checkDType(scores, ['float32'], context, 'scores');
  const [batches, spatial, corners] = boxes.shape as [number, number, number];
  const classes = scores.shape[1] as number;
  if (boxes.shape.length !== 3 || corners !== 4 || scores.shape.length !== 3 || scores.shape[0] !== batches || scores.shape[2] !== spatial) {
    throw shapeError(context, `boxes ${JSON.stringify(boxes.shape)} must be (N, S, 4) and scores ${JSON.stringify(scores.shape)} (N, C, S)`);
  }
  const maxPerClass = scalarInput(inputs[2], 0);
  const iouThreshold = scalarInput(inputs[3], 0);
  const scoreThreshold = scalarInput(inputs[4], Number.NEGATIVE_INFINITY);
  const centerPointBox = attrs.center_point_box === 1;
  const boxValues = toNumberArray(boxes);
  const scoreValues = toNumberArray(scores);
  const selected: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    for (let cls = 0; cls < classes; cls++) {
      const scoreBase = (batch * classes + cls) * spatial;
      const candidates = Array.from({ length: spatial }, (_, box) => box)
        .filter((box) => (scoreValues[scoreBase + box] as number) > scoreThreshold)
        .sort((a, b) => (scoreValues[scoreBase + b] as number) - (scoreValues[scoreBase + a] as number) || a - b);
      const kept: Box[] = [];
      for (const box of candidates) {
        if (kept.length >= maxPerClass) break;
        const candidate = readBox(boxValues, (batch * spatial + box) * 4, centerPointBox);
        if (kept.some((other) => intersectionOverUnion(candidate, other) > iouThreshold)) continue;
        kept.push(candidate);
        selected.push(batch, cls, box);
      }
    }
  }
  return [fromNumbers('int64', [selected.length / 3, 3], selected)];
}

export const NON_MAX_SUPPRESSION_KERNELS: readonly KernelDefinition[] = [
  { op: 'NonMaxSuppression', dtypes: ['float32'], kernel: nonMaxSuppressionKernel },
];
