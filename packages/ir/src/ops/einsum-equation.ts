// Einsum equation parsing for shape inference: operand terms ('ij', '...ii'), the explicit
// ('->ik') or implicit output (ellipsis, then the letters that occur once, alphabetically),
// and the ellipsis width of each operand from its rank.
// reference: https://onnx.ai/onnx/operators/onnx__Einsum.html
import type { InferenceContext } from '../op-schema.js';
import { shapeError } from './infer-helpers.js';

export interface EinsumTerm {
  /** Letters in order; '.' stands for the whole ellipsis. */
  readonly labels: readonly string[];
  readonly hasEllipsis: boolean;
}

export interface EinsumEquation {
  readonly operands: readonly EinsumTerm[];
  readonly output: EinsumTerm;
}

function parseTerm(context: InferenceContext, text: string): EinsumTerm {
  const withoutEllipsis = text.replace('...', '.');
  const labels = [...withoutEllipsis];
  const dots = labels.filter((label) => label === '.').length;
  if (dots > 1 || withoutEllipsis.includes('..') || labels.some((label) => label !== '.' && !/^[A-Za-z]$/.test(label))) {
    shapeError(context, `einsum term '${text}' must be letters with at most one '...'`);
  }
  return { labels, hasEllipsis: dots === 1 };
}

/** Parses an equation such as 'bij,bjk->bik' or '...ii'. */
export function parseEinsumEquation(context: InferenceContext, equation: string): EinsumEquation {
  const compact = equation.replace(/\s+/g, '');
  const [left, right, extra] = compact.split('->');
  if (left === undefined || extra !== undefined) shapeError(context, `einsum equation '${equation}' has more than one '->'`);
  const operands = left.split(',').map((text) => parseTerm(context, text));
  if (right !== undefined) {
    const output = parseTerm(context, right);
    const known = new Set(operands.flatMap((term) => term.labels));
    const unknown = output.labels.filter((label) => !known.has(label));
    if (unknown.length > 0) shapeError(context, `einsum output labels [${unknown.join(', ')}] do not occur in the inputs`);
    if (new Set(output.labels).size !== output.labels.length) shapeError(context, `einsum output '${right}' repeats a label`);
    return { operands, output };
  }
  const counts = new Map<string, number>();
  for (const label of operands.flatMap((term) => term.labels)) counts.set(label, (counts.get(label) ?? 0) + 1);
  const single = [...counts].filter(([label, count]) => label !== '.' && count === 1).map(([label]) => label);
  single.sort();
  const hasEllipsis = operands.some((term) => term.hasEllipsis);
  return { operands, output: { labels: hasEllipsis ? ['.', ...single] : single, hasEllipsis } };
}

/** How many dims the ellipsis of `term` covers for an operand of `rank`. */
export function ellipsisWidth(context: InferenceContext, term: EinsumTerm, rank: number): number {
  const letters = term.labels.length - (term.hasEllipsis ? 1 : 0);
  const width = rank - letters;
  if (width < 0 || (!term.hasEllipsis && width !== 0)) {
    shapeError(context, `einsum term '${term.labels.join('').replace('.', '...')}' does not match an operand of rank ${rank}`);
  }
  return width;
}
