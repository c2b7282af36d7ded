// A compiled-graph step for Conv (2-D or 1-D, float32, constant weights / bias) with an optional
// fused activation (Relu / Clip) and 2 × 2 max pool, and optionally a scalar Sub / Div before it
// (applied while padding the input), on the WebAssembly implicit-GEMM kernel.
// Its packed weights stay resident in the arena; its input is padded into a resident buffer —
// or written there directly by the producing ConvStep (`consumer` link, set by the planner), so
// a conv → conv chain never leaves the WebAssembly memory. Shapes outside the kernel's range, or
// no WebAssembly, run the fused nodes' per-op kernels instead (`fallback`).
import type { Attributes, StaticShape, TensorData } from '@efficientdl/ir';
import { convSetup, toConv2dShape } from '../../kernels/convolution/conv-setup.js';
import type { Conv2dShape } from '../conv2d.js';
import {
  type ConvAlgorithm,
  type ConvConstants,
  type ConvEpilogue,
  type ConvOutputLayout,
  type ConvProgram,
  convConstantBytes,
  createConvProgram,
  denseOutputLayout,
  needsPadding,
  paddedInputBytes,
  runConvProgram,
  runPadJobs,
  wasmConvSupports,
  winogradApplies,
  writeConvConstants,
} from '../../wasm/wasm-conv.js';
import type { WasmRuntime } from '../../wasm/wasm-runtime.js';
import type { KernelStep } from './kernel-step.js';
import { ArenaBlock, BLOCK_SLACK_BYTES, type RunContext, type Step } from './step.js';

export interface ConvStepOptions {
  readonly input: string;
  /** The value the chain produces (the last fused node's output). */
  readonly output: string;
  /** (M, C/group, kH, kW) or (M, C/group, k), float32. */
  readonly weights: TensorData;
  readonly bias?: TensorData;
  /** The Conv node's resolved attributes and name (for shape errors). */
  readonly attrs: Attributes;
  readonly nodeName: string;
  readonly epilogue: ConvEpilogue;
  /** (x − sub) / div applied to the input while padding it (fused scalar Sub / Add / Div nodes). */
  readonly affine?: { readonly sub: number; readonly div: number };
  /** The fused nodes as per-op steps, in order. */
  readonly fallback: readonly KernelStep[];
}

interface Prepared {
  readonly program: ConvProgram;
  readonly constants: ConvConstants;
  readonly resultShape: StaticShape;
}

/** Where a producer writes this step's input: the interior of the padded buffer. */
export interface InputTarget {
  readonly address: number;
  readonly layout: ConvOutputLayout;
}

/** Input channels from which inference uses Winograd F(4 × 4, 3 × 3): its GEMMs then dominate the transforms. */
const WINOGRAD4_MIN_CHANNELS = 32;

/** F(4 × 4, 3 × 3) where it pays off (wider layers), else the eager choice (F(2 × 2), depthwise, implicit GEMM). */
function inferenceAlgorithm(shape: Conv2dShape): ConvAlgorithm | 'auto' {
  return winogradApplies(shape) && shape.inChannels >= WINOGRAD4_MIN_CHANNELS ? 'winograd4' : 'auto';
}

export class ConvStep implements Step {
  readonly kind: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The ConvStep that alone reads this step's output (the output is written into its input buffer). */
  consumer: ConvStep | undefined;
  private prepared: { key: string; value: Prepared | undefined } | undefined;
  private readonly constantBlock = new ArenaBlock();
  private readonly paddedBlock = new ArenaBlock();
  private readonly outputBlock = new ArenaBlock();

  /** Whether the input is transformed while padding (then no producer may write into it). */
  get hasAffine(): boolean {
    return this.options.affine !== undefined;
  }

  constructor(private readonly options: ConvStepOptions) {
    this.inputs = [options.input];
    this.outputs = [options.output];
    const activation = options.epilogue.activation ?? 'none';
    this.kind = [options.affine ? 'affine+conv' : 'conv', activation === 'none' ? '' : typeof activation === 'object' ? 'clip' : activation, options.epilogue.pool ? 'pool' : ''].filter(Boolean).join('+');
  }

  /** The program for this input shape (cached), or undefined when the kernel cannot run it. */
  private prepare(runtime: WasmRuntime, inputShape: StaticShape): Prepared | undefined {
    const key = inputShape.join(',');
    if (this.prepared?.key === key) return this.prepared.value;
    const { weights, bias, attrs, nodeName, epilogue } = this.options;
    const setup = convSetup(inputShape, weights.shape, attrs, { op: 'Conv', node: nodeName, outputCount: 1 });
    if (setup.geometry.inputSize.length > 2) {
      this.prepared = { key, value: undefined };
      return undefined;
    }
    const shape = toConv2dShape(setup);
    let value: Prepared | undefined;
    if (wasmConvSupports(shape, epilogue)) {
      const program = createConvProgram(shape, weights.data as Float32Array, bias?.data as Float32Array | undefined, epilogue, inferenceAlgorithm(shape));
      this.constantBlock.ensure(runtime, convConstantBytes(program));
      const constants = writeConvConstants(program, runtime.views(), this.constantBlock.address);
      const spatial = setup.geometry.inputSize.length === 2 ? [program.resultHeight, program.resultWidth] : [program.resultWidth];
      value = { program, constants, resultShape: [shape.batch, shape.outChannels, ...spatial] };
    }
    this.prepared = { key, value };
    return value;
  }

  /** The padded input buffer for `inputShape` (zeroed borders), or undefined when not on the kernel. */
  inputTarget(runtime: WasmRuntime, inputShape: StaticShape): InputTarget | undefined {
    const prepared = this.prepare(runtime, inputShape);
    if (!prepared) return undefined;
    const { program } = prepared;
    this.paddedBlock.ensure(runtime, paddedInputBytes(program), true);
    const plane = program.paddedHeight * program.paddedWidth;
    const { shape } = program;
    return {
      address: this.paddedBlock.address,
      layout: { imageStride: shape.inChannels * plane, planeStride: plane, rowStride: program.paddedWidth, offset: shape.padTop * program.paddedWidth + shape.padLeft },
    };
  }

  run(context: RunContext): void {
    const { runtime, values } = context;
    const { input, output } = this.options;
    const inputShape = values.shapeOf(input);
    const prepared = runtime ? this.prepare(runtime, inputShape) : undefined;
    if (!runtime || !prepared) {
      for (const step of this.options.fallback) step.run(context);
      return;
    }
    const inputAddress = values.isForwarded(input) ? this.paddedBlock.address : this.placeInput(context, runtime, prepared.program);
    const target = this.consumer?.inputTarget(runtime, prepared.resultShape);
    if (target) {
      runConvProgram(runtime, prepared.program, { constants: prepared.constants, paddedInput: inputAddress, output: target.address, outputLayout: target.layout });
      values.setForwarded(output, prepared.resultShape);
      return;
    }
    const layout = denseOutputLayout(prepared.program);
    this.outputBlock.ensure(runtime, prepared.program.shape.batch * layout.imageStride * 4);
    runConvProgram(runtime, prepared.program, { constants: prepared.constants, paddedInput: inputAddress, output: this.outputBlock.address, outputLayout: layout });
    values.setResident(output, { address: this.outputBlock.address, shape: prepared.resultShape });
  }

  /** Byte address of the (padded) input: pads a resident or host input into the padded buffer. */
  private placeInput(context: RunContext, runtime: WasmRuntime, program: ConvProgram): number {
    const { input } = this.options;
    const { shape } = program;
    const { affine } = this.options;
    // a resident input is read in place unless it must be padded / transformed, or the kernel
    // may read further past its end than the block's slack
    const copy = needsPadding(program) || affine !== undefined || program.inputSlack * 4 > BLOCK_SLACK_BYTES;
    const resident = context.values.residentValue(input);
    if (resident && !copy) return resident.address;
    this.inputTarget(runtime, context.values.shapeOf(input));
    const count = shape.batch * shape.inChannels * shape.inHeight * shape.inWidth;
    let source = resident?.address;
    if (source === undefined) {
      const data = context.values.hostValue(input).data as Float32Array;
      // straight into the input buffer, or through the transient area when the pad job copies it
      source = copy ? runtime.reserveOperands(count * 4) : this.paddedBlock.address;
      runtime.views().f32.set(data.subarray(0, count), source / 4);
      if (!copy) return source;
    }
    runPadJobs(runtime, {
      source, target: this.paddedBlock.address, planes: shape.batch * shape.inChannels,
      height: shape.inHeight, width: shape.inWidth, paddedHeight: program.paddedHeight, paddedWidth: program.paddedWidth,
      top: shape.padTop, left: shape.padLeft, affine,
    });
    return this.paddedBlock.address;
  }

  dispose(): void {
    this.constantBlock.release();
    this.paddedBlock.release();
    this.outputBlock.release();
  }
}
