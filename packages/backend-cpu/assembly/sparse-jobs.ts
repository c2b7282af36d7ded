// Dispatch of the sparse job kinds (sparse-job-layout.ts) for runJob in index.ts.
import * as job from './sparse-job-layout';
import { padPlanesJob, transposeJob } from './sparse-layout';
import { sparseRowsJob } from './sparse-spmm';

/** Whether `kind` is one of the sparse kernels' job kinds. */
export function isSparseJob(kind: i32): bool {
  return kind >= job.JOB_SPARSE_CSR && kind <= job.JOB_SPARSE_TRANSPOSE;
}

/** Runs one sparse job described by the words of `slot`. */
export function runSparseJob(slot: usize, kind: i32): void {
  const resolved = <usize>load<i32>(slot + (<usize>job.WORD_RESOLVED << 2));
  if (kind === job.JOB_SPARSE_CSR) sparseRowsJob(slot, false, resolved);
  else if (kind === job.JOB_SPARSE_NM) sparseRowsJob(slot, true, resolved);
  else if (kind === job.JOB_SPARSE_PAD) padPlanesJob(slot);
  else if (kind === job.JOB_SPARSE_TRANSPOSE) transposeJob(slot);
}
