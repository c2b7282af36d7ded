// A compiled-graph step for Gemm (transA = 0) and MatMul whose second operand is a constant 2-D
// float32 matrix: Y = alpha · A · op(B) + beta · C on the WebAssembly GEMM, B (and the bias row
// C, when it broadcasts over rows) resident in the arena, A read in place when a previous step
// left it in the WebAssembly memory. MatMul flattens A's leading dimensions into rows.
// Unsupported shapes, or no WebAssembly, run the node's per-op kernel (`fallback`).
// reference: https://onnx.ai/onnx/operators/onnx__Gemm.html, https://onnx.ai/onnx/operators/onnx__MatMul.html
import { type StaticShape, type TensorData, shapeSize } from '@efficientdl/ir';
import { runF32GemmJobs } from '../../wasm/wasm-gemm.js';
import type { WasmRuntime } from '../../wasm/wasm-runtime.js';
import type { KernelStep } from './kernel-step.js';
import { ArenaBlock, type RunContext, type Step } from './step.js';

export interface GemmStepOptions {
  readonly input: string;
  readonly output: string;
  /** (K, N), or (N, K) when transB. float32. */
  readonly weights: TensorData;
  readonly transB: boolean;
  readonly alpha: number;
  /** beta · C, already scaled; (N) or (1, N) (broadcast over rows) or undefined. */
  readonly bias?: Float32Array;
  /** MatMul: A may have leading batch dims; Gemm: A must be 2-D. */
  readonly flattenLeading: boolean;
  readonly fallback: KernelStep;
}

export class GemmStep implements Step {
  readonly kind = 'gemm';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  private readonly constants = new ArenaBlock();
  private readonly outputBlock = new ArenaBlock();
  private readonly k: number;
  private readonly n: number;

  constructor(private readonly options: GemmStepOptions) {
    this.inputs = [options.input];
    this.outputs = [options.output];
    const [rows, cols] = options.weights.shape as [number, number];
    [this.k, this.n] = options.transB ? [cols, rows] : [rows, cols];
  }

  /** Rows of A and the output shape, or undefined when A does not fit. */
  private geometry(inputShape: StaticShape): { m: number; outputShape: StaticShape } | undefined {
    const rank = inputShape.length;
    if (rank < 1 || inputShape[rank - 1] !== this.k) return undefined;
    if (!this.options.flattenLeading && rank !== 2) return undefined;
    if (rank === 1) return { m: 1, outputShape: [this.n] };
    const leading = inputShape.slice(0, -1);
    return { m: shapeSize(leading), outputShape: [...leading, this.n] };
  }

  /** Writes B and the bias into the arena once; returns their byte addresses. */
  private residentConstants(runtime: WasmRuntime): { b: number; bias: number } {
    const weightBytes = this.k * this.n * 4;
    if (this.constants.ensure(runtime, weightBytes + this.n * 4)) {
      const floats = runtime.views().f32;
      floats.set(this.options.weights.data as Float32Array, this.constants.address / 4);
      if (this.options.bias) floats.set(this.options.bias, (this.constants.address + weightBytes) / 4);
    }
    return { b: this.constants.address, bias: this.constants.address + weightBytes };
  }

  run(context: RunContext): void {
    const { runtime, values } = context;
    const { input, output } = this.options;
    const geometry = runtime ? this.geometry(values.shapeOf(input)) : undefined;
    if (!runtime || !geometry || values.isForwarded(input)) {
      this.options.fallback.run(context);
      return;
    }
    const { m, outputShape } = geometry;
    const constants = this.residentConstants(runtime);
    this.outputBlock.ensure(runtime, m * this.n * 4);
    const c = this.outputBlock.address;
    let a = values.residentValue(input)?.address;
    if (a === undefined) {
      a = runtime.reserveOperands(m * this.k * 4);
      runtime.views().f32.set((values.hostValue(input).data as Float32Array).subarray(0, m * this.k), a / 4);
    }
    const floats = runtime.views().f32;
    if (this.options.bias) {
      const bias = floats.subarray(constants.bias / 4, constants.bias / 4 + this.n);
      for (let row = 0; row < m; row++) floats.set(bias, c / 4 + row * this.n);
    }
    runF32GemmJobs(runtime, {
      a, b: constants.b, c, m, n: this.n, k: this.k,
      aCols: this.k, bCols: this.options.transB ? this.k : this.n,
      transA: false, transB: this.options.transB,
      alpha: this.options.alpha, beta: this.options.bias ? 1 : 0,
    });
    values.setResident(output, { address: c, shape: outputShape });
  }

  dispose(): void {
    this.constants.release();
    this.outputBlock.release();
  }
}
