// Throughput of the GEMM kernels (not a test): float32 GFLOP/s at 256/512/1024 for the
// TypeScript kernel and the WebAssembly kernel on 1 and 2 threads, int8 GOP/s, and the conv
// layers of the Fashion-MNIST CNN (batch 64) forward and both gradients.
// Run: node scripts/bench-wasm.mjs [--experimental-wasm-relaxed-simd]
import { type Conv2dShape, conv2dForward, conv2dGradInput, conv2dGradWeight } from '../src/fast/conv2d.js';
import { sgemm } from '../src/fast/gemm.js';
import { int8Gemm } from '../src/wasm/int8-gemm.js';
import { configureWasmKernels, wasmKernelInfo } from '../src/wasm/wasm-runtime.js';

/** Median seconds of `run` over repetitions filling about `budget` seconds (after one warm-up). */
function time(run: () => void, budget = 0.6): number {
  run();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 3 || (performance.now() - start < budget * 1000 && samples.length < 50)) {
    const begin = performance.now();
    run();
    samples.push((performance.now() - begin) / 1000);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)] as number;
}

const filled = (length: number) => Float32Array.from({ length }, (_, index) => ((index * 7919) % 1000) / 1000 - 0.5);
const fmt = (value: number) => value.toFixed(1).padStart(7);

function benchFloat(label: string, sizes: number[]): void {
  const cells = sizes.map((size) => {
    const [a, b, c] = [filled(size * size), filled(size * size), new Float32Array(size * size)];
    const seconds = time(() => sgemm({ m: size, n: size, k: size, a, b, c }));
    return fmt((2 * size ** 3) / seconds / 1e9);
  });
  console.log(`${label.padEnd(28)}${cells.join('')}   GFLOP/s`);
}

function benchInt8(label: string, sizes: number[]): void {
  const cells = sizes.map((size) => {
    const a = Int8Array.from({ length: size * size }, (_, index) => (index * 31) % 255 - 127);
    const b = Uint8Array.from({ length: size * size }, (_, index) => (index * 17) % 256);
    const c = new Int32Array(size * size);
    const seconds = time(() => int8Gemm({ m: size, n: size, k: size, a, b, c, bZeroPoint: 128 }));
    return fmt((2 * size ** 3) / seconds / 1e9);
  });
  console.log(`${label.padEnd(28)}${cells.join('')}   GOP/s`);
}

function convShape(inChannels: number, outChannels: number, size: number): Conv2dShape {
  const geometry = { inHeight: size, inWidth: size, kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1 };
  return { ...geometry, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: size, outWidth: size, batch: 64, inChannels, outChannels, group: 1 };
}

function benchConv(label: string): void {
  for (const [inChannels, outChannels, size] of [[1, 16, 28], [16, 32, 14]] as [number, number, number][]) {
    const shape = convShape(inChannels, outChannels, size);
    const x = filled(64 * inChannels * size * size);
    const w = filled(outChannels * inChannels * 9);
    const y = new Float32Array(64 * outChannels * size * size);
    const flops = 2 * 64 * outChannels * size * size * inChannels * 9;
    const forward = time(() => conv2dForward(shape, x, w, undefined, y));
    const gradInput = time(() => conv2dGradInput(shape, y, w, x));
    const gradWeight = time(() => conv2dGradWeight(shape, x, y, w));
    const cell = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms (${(flops / seconds / 1e9).toFixed(1)} GFLOP/s)`;
    console.log(`${label} conv ${inChannels}→${outChannels} ${size}×${size}: fwd ${cell(forward)}, dX ${cell(gradInput)}, dW ${cell(gradWeight)}`);
  }
}

const sizes = [256, 512, 1024];
configureWasmKernels({ threads: 1 });
console.log(`wasm: ${JSON.stringify(wasmKernelInfo())}`);
console.log(`${'kernel'.padEnd(28)}${sizes.map((size) => String(size).padStart(7)).join('')}`);
configureWasmKernels({ enabled: false });
benchFloat('f32 TypeScript', [256, 512]);
benchConv('TypeScript');
for (const threads of [1, 2]) {
  configureWasmKernels({ enabled: true, threads });
  const variant = wasmKernelInfo().relaxedSimd ? 'relaxed SIMD' : 'SIMD';
  benchFloat(`f32 wasm ${variant} ${threads}T`, sizes);
  benchInt8(`int8 wasm ${threads}T`, sizes);
  benchConv(`wasm ${variant} ${threads}T`);
}
