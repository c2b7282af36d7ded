// Turns an Einsum equation plus operand shapes into an iteration plan: every label (ellipsis dims
// become labels '0', '1', … aligned from the right) gets a size, each operand a stride per label
// (repeated labels add strides → diagonals; broadcast size-1 dims get stride 0), and the output
// its label order (explicit after '->', else ellipsis + once-occurring letters alphabetically).
// reference: https://onnx.ai/onnx/operators/onnx__Einsum.html
import { type StaticShape, stridesOf } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { shapeError } from '../elementwise/kernel-support.js';

export interface EinsumPlan {
  /** Output labels first, then the summed-over labels. */
  readonly labels: readonly string[];
  readonly sizes: readonly number[];
  readonly outputRank: number;
  /** strides[operand][labelPosition] */
  readonly strides: readonly number[][];
}

/** Splits a term into labels, expanding '...' to `width` ellipsis labels aligned right of `total`. */
function expandTerm(term: string, width: number, total: number): string[] {
  const [before = '', after = ''] = term.split('...');
  const ellipsis = Array.from({ length: width }, (_, index) => String(total - width + index));
  return term.includes('...') ? [...before, ...ellipsis, ...after] : [...term];
}

function termLetters(term: string): number {
  return term.replace('...', '').length;
}

function defaultOutput(terms: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const letter of terms.join('').replaceAll('...', '')) counts.set(letter, (counts.get(letter) ?? 0) + 1);
  const once = [...counts].filter(([, count]) => count === 1).map(([letter]) => letter).sort();
  return (terms.some((term) => term.includes('...')) ? '...' : '') + once.join('');
}

export function planEinsum(equation: string, shapes: readonly StaticShape[], context: KernelContext): EinsumPlan {
  const [left = '', right] = equation.replace(/\s+/g, '').split('->');
  const terms = left.split(',');
  if (terms.length !== shapes.length) throw shapeError(context, `equation '${equation}' has ${terms.length} operands, got ${shapes.length} inputs`);
  const widths = terms.map((term, index) => (shapes[index]?.length ?? 0) - termLetters(term));
  const total = Math.max(0, ...widths);
  const operandLabels = terms.map((term, index) => expandTerm(term, widths[index] as number, total));
  const sizeOf = new Map<string, number>();
  operandLabels.forEach((labels, operand) => {
    if (labels.length !== shapes[operand]?.length) throw shapeError(context, `term '${terms[operand]}' does not match input ${operand} of rank ${shapes[operand]?.length}`);
    labels.forEach((label, axis) => {
      const dim = shapes[operand]?.[axis] as number;
      const known = sizeOf.get(label);
      if (known !== undefined && known !== dim && known !== 1 && dim !== 1) throw shapeError(context, `label '${label}' has sizes ${known} and ${dim}`);
      if (known === undefined || known === 1) sizeOf.set(label, dim);
    });
  });
  const outputLabels = expandTerm(right ?? defaultOutput(terms), total, total);
  const summed = [...sizeOf.keys()].filter((label) => !outputLabels.includes(label));
  const labels = [...outputLabels, ...summed];
  const strides = operandLabels.map((operandLabel, operand) => {
    const shape = shapes[operand] as StaticShape;
    const axisStrides = stridesOf(shape);
    return labels.map((label) =>
      operandLabel.reduce((sum, candidate, axis) => (candidate === label && shape[axis] !== 1 ? sum + (axisStrides[axis] as number) : sum), 0),
    );
  });
  return { labels, sizes: labels.map((label) => sizeOf.get(label) ?? 1), outputRank: outputLabels.length, strides };
}
