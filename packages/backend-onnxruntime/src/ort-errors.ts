// Translating onnxruntime failures into the typed errors of @efficientdl/ir. Every message names
// backend 'onnxruntime', the op and node (ours, or the ones ORT names) and keeps ORT's own text.
import { type EfficientDLError, ModelFormatError, ShapeError, UnsupportedOpError } from '@efficientdl/ir';

/** Where the failure happened: loading the model (session creation) or running it. */
export type OrtStage = 'create' | 'run';

export interface OrtFailure {
  stage: OrtStage;
  /** ORT's message. */
  message: string;
  /** What we were doing, e.g. "graph 'mnist'" or "Conv (node 'conv1')". */
  subject: string;
  op?: string;
  node?: string;
}

// No kernel for the op/types, or a kernel that refuses a valid ONNX mode ('Linear' mode only supports…).
const NO_KERNEL = /NOT_IMPLEMENTED|Could not find an implementation|No Op registered|is not a registered function\/op|only supports|Unsupported data type/i;
const SHAPE_PROBLEM = /dimension|shape|rank|broadcast/i;

/** The op and node ORT names in its message, e.g. "running Conv node. Name:'conv_0'". */
export function nodeNamedByOrt(message: string): { op?: string; node?: string } {
  const running = /running (\w+) node\. Name:'([^']*)'/.exec(message);
  if (running) return { op: running[1], node: running[2] };
  const implementation = /implementation for (\w+)\(\d+\) node with name '([^']*)'/.exec(message);
  if (implementation) return { op: implementation[1], node: implementation[2] };
  const named = /[Nn]ode(?: name)?[ :]*'([^']+)'/.exec(message);
  return named ? { node: named[1] } : {};
}

/** A typed error for an ORT failure. */
export function translateOrtError(failure: OrtFailure): EfficientDLError {
  const named = nodeNamedByOrt(failure.message);
  const op = failure.op ?? named.op;
  const node = failure.node ?? named.node;
  const context = { backend: 'onnxruntime', stage: failure.stage, op, node, ortMessage: failure.message };
  const where = failure.stage === 'create' ? 'could not load' : 'failed running';
  const message = `backend 'onnxruntime' ${where} ${failure.subject}: ${failure.message}`;
  if (NO_KERNEL.test(failure.message)) return new UnsupportedOpError(message, context);
  if (failure.stage === 'run' && SHAPE_PROBLEM.test(failure.message)) return new ShapeError(message, context);
  return new ModelFormatError(message, context);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
