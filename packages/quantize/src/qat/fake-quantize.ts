// Fake quantization for quantization-aware training, as a differentiable composition of existing
// ops (no new op or gradient entry needed):
//   forward:  y = DequantizeLinear(QuantizeLinear(x))            (exactly what the QDQ graph computes)
//   backward: dy/dx = 1 where (qmin − zp)·s ≤ x ≤ (qmax − zp)·s, else 0   (clipped straight-through estimator)
// built as y = qdq(x) + (x − detach(x)) · mask with mask = [x in range]: the product is exactly 0
// in the forward pass and passes the upstream gradient through the mask. qdq and the mask are
// computed on the host in one pass with ONNX QuantizeLinear's arithmetic (x / scale in float32,
// round half to even, saturate to the dtype's range; NaN → code 0), per tensor, per channel
// (axis) or per group, with the PTQ primitives' QuantParams.
// reference: Bengio et al. 2013 (STE); Jacob et al. 2018 (https://arxiv.org/abs/1712.05877) §3
import { tensorData } from '@efficientdl/ir';
import { F, Tensor, isGradEnabled } from '@efficientdl/tensor';
import { type AnyQuantParams, parameterIndexOf, quantRange, quantizeValue } from '../primitives/index.js';

interface HostFakeQuant {
  dequantized: Float32Array;
  /** 1 inside the representable range, else 0 (only when asked). */
  mask?: Float32Array;
}

function hostFakeQuantize(x: Tensor, params: AnyQuantParams, withMask: boolean): HostFakeQuant {
  const [qmin, qmax] = quantRange(params.dtype);
  const values = x.values as Float32Array;
  const dequantized = new Float32Array(values.length);
  const mask = withMask ? new Float32Array(values.length) : undefined;
  const perTensor = !('scales' in params);
  const scales = perTensor ? [params.scale] : params.scales;
  const zeroPoints = perTensor ? [params.zeroPoint] : params.zeroPoints;
  const parameterIndex = perTensor ? undefined : parameterIndexOf(x.shape, params);
  for (let index = 0; index < values.length; index++) {
    const parameter = parameterIndex ? (parameterIndex[index] as number) : 0;
    const scale = scales[parameter] as number;
    const zeroPoint = zeroPoints[parameter] as number;
    const value = values[index] as number;
    const code = quantizeValue(Math.fround(value / scale), zeroPoint, qmin, qmax);
    dequantized[index] = (code - zeroPoint) * scale;
    if (mask) mask[index] = value >= (qmin - zeroPoint) * scale && value <= (qmax - zeroPoint) * scale ? 1 : 0;
  }
  return mask ? { dequantized, mask } : { dequantized };
}

/** QuantizeLinear → DequantizeLinear of `x` (no gradient). */
export function quantizeDequantize(x: Tensor, params: AnyQuantParams): Tensor {
  return new Tensor(tensorData('float32', x.shape, hostFakeQuantize(x, params, false).dequantized));
}

/** 1 where x lies in its representable range [(qmin − zp)·s, (qmax − zp)·s], else 0 (x's shape). */
export function representableMask(x: Tensor, params: AnyQuantParams): Tensor {
  return new Tensor(tensorData('float32', x.shape, hostFakeQuantize(x, params, true).mask as Float32Array));
}

/** Fake-quantizes `x` with a clipped straight-through gradient (see the file header). */
export function fakeQuantize(x: Tensor, params: AnyQuantParams): Tensor {
  const withGradient = x.requiresGrad && isGradEnabled();
  const { dequantized, mask } = hostFakeQuantize(x, params, withGradient);
  const result = new Tensor(tensorData('float32', x.shape, dequantized));
  if (!withGradient || !mask) return result;
  // (x − detach(x)) is exactly 0 forward; its gradient, masked, is the clipped STE
  return F.add(result, F.mul(F.sub(x, x.detach()), new Tensor(tensorData('float32', x.shape, mask))));
}
