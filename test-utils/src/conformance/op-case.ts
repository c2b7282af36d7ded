// One conformance case: an op, its inputs and attributes, and the expected outputs from an
// oracle (hand-computed values, a closed formula, or the reference kernel for fast kernels).
import type { Attributes, ErrorCode, TensorData } from '@efficientdl/ir';
import type { Tolerance } from '../expect-close.js';

export interface OpCase {
  /** Unique, descriptive: 'Conv/group2_stride2_pads'. */
  readonly name: string;
  readonly op: string;
  readonly domain?: string;
  /** undefined entries are omitted optional inputs. */
  readonly inputs: readonly (TensorData | undefined)[];
  readonly attrs?: Attributes;
  readonly outputCount?: number;
  /** Expected outputs (omit when `expectError` is set). */
  readonly expected?: readonly TensorData[];
  readonly tolerance?: Tolerance;
  /** The case must fail with this error code (bad shapes, bad dtypes…). */
  readonly expectError?: ErrorCode;
}
