// The values of one run of a compiled CPU graph. A value lives either on the host (TensorData,
// what the per-op kernels read and write) or in the WebAssembly memory (a dense float32 tensor at
// a byte address, what the fused WebAssembly steps read and write, so activations flow from one
// fused step to the next without copies). Host copies are made on demand and cached.
import { GraphError, type StaticShape, type TensorData, shapeSize, tensorData } from '@efficientdl/ir';
import type { WasmRuntime } from '../../wasm/wasm-runtime.js';

/** A dense float32 tensor in the WebAssembly memory, valid until its step runs again. */
export interface ResidentValue {
  readonly address: number;
  readonly shape: StaticShape;
}

export class ValueStore {
  private readonly host = new Map<string, TensorData>();
  private readonly resident = new Map<string, ResidentValue>();
  /** Values a producer wrote straight into its consumer's buffer (only that consumer reads them). */
  private readonly forwarded = new Map<string, StaticShape>();

  constructor(
    private readonly runtime: WasmRuntime | undefined,
    /** Read-only fallbacks (initializers). */
    private readonly constants: ReadonlyMap<string, TensorData>,
  ) {}

  setForwarded(name: string, shape: StaticShape): void {
    this.forwarded.set(name, shape);
  }

  isForwarded(name: string): boolean {
    return this.forwarded.has(name);
  }

  setHost(name: string, value: TensorData): void {
    this.host.set(name, value);
  }

  setResident(name: string, value: ResidentValue): void {
    this.resident.set(name, value);
    this.host.delete(name);
  }

  /** The value in the WebAssembly memory, if it is there. */
  residentValue(name: string): ResidentValue | undefined {
    return this.resident.get(name);
  }

  /** The shape of a value wherever it lives. */
  shapeOf(name: string): StaticShape {
    const resident = this.resident.get(name) ?? (this.forwarded.has(name) ? { shape: this.forwarded.get(name) as StaticShape } : undefined);
    if (resident) return resident.shape;
    return this.hostValue(name).shape;
  }

  /** The value as TensorData, copied out of the WebAssembly memory the first time it is asked for. */
  hostValue(name: string): TensorData {
    const existing = this.host.get(name) ?? this.constants.get(name);
    if (existing) return existing;
    const resident = this.resident.get(name);
    if (!resident || !this.runtime) throw new GraphError(`compiled graph: value '${name}' is not available`, { value: name });
    const start = resident.address / 4;
    const data = this.runtime.views().f32.slice(start, start + shapeSize(resident.shape));
    const value = tensorData('float32', resident.shape, data);
    this.host.set(name, value);
    return value;
  }
}
