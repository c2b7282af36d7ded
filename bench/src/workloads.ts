// Workloads: fp32 GEMM at 256/512/1024 and the Fashion-MNIST CNN's conv layers (batch 64), each
// runnable by several engines. 'js-naive' is a plain triple loop (the baseline every JS
// library starts from); 'cpu' is backend-cpu's kernel through the Backend interface.
import { createCpuBackend } from '@efficientdl/backend-cpu';
import { type TensorData, fromNumbers, getOpSchema, resolveAttributes } from '@efficientdl/ir';

export interface Workload {
  name: string;
  /** Floating-point operations of one run (2 per multiply-add). */
  flops: number;
  engines: Record<string, () => void>;
}

const cpu = createCpuBackend();

function randomData(shape: number[]): TensorData {
  const count = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(count);
  let state = 12345;
  for (let index = 0; index < count; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    values[index] = state / 4294967296 - 0.5;
  }
  return fromNumbers('float32', shape, values);
}

function runOnCpu(op: string, inputs: TensorData[], attrs: Record<string, number | number[]> = {}): () => void {
  const resolved = resolveAttributes(getOpSchema(op), attrs);
  return () => {
    cpu.run({ op, domain: '', name: op, attrs: resolved }, inputs, 1);
  };
}

function naiveMatmul(a: Float32Array, b: Float32Array, size: number): () => void {
  const c = new Float32Array(size * size);
  return () => {
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        let sum = 0;
        for (let inner = 0; inner < size; inner++) sum += (a[row * size + inner] as number) * (b[inner * size + column] as number);
        c[row * size + column] = sum;
      }
    }
  };
}

function gemmWorkload(size: number): Workload {
  const a = randomData([size, size]);
  const b = randomData([size, size]);
  const engines: Record<string, () => void> = { cpu: runOnCpu('MatMul', [a, b]) };
  if (size <= 512) engines['js-naive'] = naiveMatmul(a.data as Float32Array, b.data as Float32Array, size);
  return { name: `gemm-fp32-${size}`, flops: 2 * size ** 3, engines };
}

function convWorkload(name: string, options: { batch: number; inChannels: number; outChannels: number; size: number }): Workload {
  const { batch, inChannels, outChannels, size } = options;
  const x = randomData([batch, inChannels, size, size]); // x: (N, C, H, W)
  const w = randomData([outChannels, inChannels, 3, 3]); // w: (M, C, 3, 3)
  const flops = 2 * batch * outChannels * size * size * inChannels * 9;
  return { name, flops, engines: { cpu: runOnCpu('Conv', [x, w], { pads: [1, 1, 1, 1] }) } };
}

export function allWorkloads(): Workload[] {
  return [
    gemmWorkload(256),
    gemmWorkload(512),
    gemmWorkload(1024),
    convWorkload('fmnist-conv1-b64', { batch: 64, inChannels: 1, outChannels: 16, size: 28 }),
    convWorkload('fmnist-conv2-b64', { batch: 64, inChannels: 16, outChannels: 32, size: 14 }),
  ];
}
