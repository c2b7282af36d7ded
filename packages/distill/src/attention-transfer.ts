// Attention transfer (Zagoruyko & Komodakis 2017, "Paying More Attention to Attention"): the
// spatial attention map of a feature A (N, C, H, W) is Q = mean over channels of |A|^p, flattened
// to (N, H·W) and L2-normalized per sample; the loss is the mean squared difference of the
// student's and the teacher's maps. Channel counts may differ; spatial sizes must match.
import { ConfigError, ShapeError, formatShape } from '@efficientdl/ir';
import { F, type Tensor } from '@efficientdl/tensor';

export interface AttentionTransferOptions {
  /** Exponent p of |A|^p (default 2). */
  p?: number;
}

/** Guards the L2 normalization of an all-zero map. */
const EPSILON = 1e-12;

// feature: (N, C, H, W) → (N, H·W), each row of unit L2 norm
export function attentionMap(feature: Tensor, options: AttentionTransferOptions = {}): Tensor {
  const p = options.p ?? 2;
  if (!(p > 0)) throw new ConfigError(`attentionMap: p must be positive, got ${p}`);
  if (feature.rank < 3) {
    throw new ShapeError(`attentionMap: feature must be (N, C, ...spatial), got ${formatShape(feature.shape)}`, { op: 'attentionMap' });
  }
  const magnitude = F.abs(feature);
  const powered = p === 2 ? F.mul(magnitude, magnitude) : F.pow(magnitude, p); // (N, C, H, W)
  const map = F.flatten(F.reduceMean(powered, { axes: [1], keepDims: false }), 1); // (N, H·W)
  const norm = F.sqrt(F.reduceSum(F.mul(map, map), { axes: [1], keepDims: true })); // (N, 1)
  return F.div(map, F.add(norm, EPSILON));
}

// studentFeature: (N, Cs, H, W); teacherFeature: (N, Ct, H, W)
export function attentionTransferLoss(studentFeature: Tensor, teacherFeature: Tensor, options: AttentionTransferOptions = {}): Tensor {
  const sameSpatial =
    studentFeature.rank === teacherFeature.rank &&
    studentFeature.shape[0] === teacherFeature.shape[0] &&
    studentFeature.shape.slice(2).every((dim, axis) => dim === teacherFeature.shape[axis + 2]);
  if (!sameSpatial) {
    throw new ShapeError(
      `attentionTransferLoss: student feature ${formatShape(studentFeature.shape)} and teacher feature ${formatShape(teacherFeature.shape)} need the same batch and spatial sizes`,
      { op: 'attentionTransferLoss' },
    );
  }
  const difference = F.sub(attentionMap(studentFeature, options), attentionMap(teacherFeature.detach(), options)); // (N, H·W)
  return F.reduceMean(F.mul(difference, difference), { axes: [0, 1], keepDims: false });
}
