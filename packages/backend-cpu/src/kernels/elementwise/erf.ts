// The error function erf(x) for float kernels (Erf, Gelu): Maclaurin series for |x| < 2.5 (full
// double precision there) and the Chebyshev-fitted erfc approximation from Numerical Recipes
// (relative error < 1.2e-7 on erfc, i.e. far below float32 resolution of erf ≈ 1) beyond.
// reference: https://onnx.ai/onnx/operators/onnx__Erf.html

const TWO_OVER_SQRT_PI = 1.1283791670955126;

function erfSeries(x: number): number {
  // erf(x) = 2/√π · Σ_n (-1)^n x^(2n+1) / (n! (2n+1))
  const squared = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= -squared / n;
    const contribution = term / (2 * n + 1);
    sum += contribution;
    if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

function erfcLarge(z: number): number {
  // z ≥ 0: erfc(z) ≈ t·exp(-z² + P(t)), t = 1 / (1 + z/2)
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(-z * z + polynomial);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const magnitude = Math.abs(x);
  if (magnitude < 2.5) return erfSeries(x);
  const value = 1 - erfcLarge(magnitude);
  return x < 0 ? -value : value;
}
