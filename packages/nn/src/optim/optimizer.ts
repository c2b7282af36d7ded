// Optimizer base (torch.optim.Optimizer's idea, one parameter group): holds the parameters, the
// learning rate and per-parameter state buffers, and updates parameter storage in place under
// noGrad. State is serializable: tensors (for safetensors) + plain JSON (kind, hyperparameters,
// per-parameter step counts).
import { ConfigError, ShapeError, type TensorData, formatShape } from '@efficientdl/ir';
import { type Tensor, noGrad } from '@efficientdl/tensor';

/** JSON-serializable part + tensors of an optimizer's state (`${parameterIndex}.${buffer}` keys). */
export interface OptimizerStateDict {
  kind: string;
  hyperparameters: Record<string, number | boolean>;
  /** Step count per parameter index (parameters that never got a gradient are absent). */
  steps: Record<string, number>;
  tensors: Record<string, TensorData>;
}

export abstract class Optimizer {
  abstract readonly kind: string;
  readonly parameters: readonly Tensor[];
  /** Current learning rate (schedulers write it). */
  lr: number;
  /** Per-parameter state buffers, e.g. exp_avg, keyed by parameter index. */
  protected readonly buffers = new Map<number, Map<string, Float32Array>>();
  protected readonly steps = new Map<number, number>();

  constructor(parameters: Iterable<Tensor>, lr: number) {
    this.parameters = [...parameters];
    if (this.parameters.length === 0) throw new ConfigError('optimizer got an empty parameter list');
    if (!(lr >= 0)) throw new ConfigError(`optimizer: learning rate must be ≥ 0, got ${lr}`);
    this.lr = lr;
    this.parameters.forEach((parameter, index) => {
      if (parameter.dtype !== 'float32') {
        throw new ConfigError(`optimizer: parameter ${index} is ${parameter.dtype}; only float32 parameters are supported`);
      }
    });
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const parameter of this.parameters) parameter.grad = undefined;
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      this.parameters.forEach((parameter, index) => {
        if (!parameter.grad) return;
        const step = (this.steps.get(index) ?? 0) + 1;
        this.steps.set(index, step);
        const values = parameter.values as Float32Array;
        const gradient = parameter.grad.values as Float32Array;
        this.update({ index, values, gradient, step });
      });
    });
  }

  /** Updates one parameter's storage in place. */
  protected abstract update(entry: { index: number; values: Float32Array; gradient: Float32Array; step: number }): void;

  /** The hyperparameters stored in (and restored from) the state dict. */
  protected abstract hyperparameters(): Record<string, number | boolean>;
  protected abstract setHyperparameters(values: Record<string, number | boolean>): void;

  /** The named state buffer of a parameter, created zero-filled on first use. */
  protected buffer(index: number, name: string, length: number): Float32Array {
    let entries = this.buffers.get(index);
    if (!entries) {
      entries = new Map();
      this.buffers.set(index, entries);
    }
    let buffer = entries.get(name);
    if (!buffer) {
      buffer = new Float32Array(length);
      entries.set(name, buffer);
    }
    return buffer;
  }

  protected hasBuffer(index: number, name: string): boolean {
    return this.buffers.get(index)?.has(name) ?? false;
  }

  stateDict(): OptimizerStateDict {
    const tensors: Record<string, TensorData> = {};
    for (const [index, entries] of this.buffers) {
      const shape = (this.parameters[index] as Tensor).shape;
      for (const [name, buffer] of entries) tensors[`${index}.${name}`] = { dtype: 'float32', shape: [...shape], data: buffer.slice() };
    }
    return {
      kind: this.kind,
      hyperparameters: { lr: this.lr, ...this.hyperparameters() },
      steps: Object.fromEntries([...this.steps].map(([index, step]) => [String(index), step])),
      tensors,
    };
  }

  /** Restores state; validated first (ConfigError / ShapeError naming the key), nothing changes on failure. */
  loadStateDict(state: OptimizerStateDict): void {
    if (state.kind !== this.kind) throw new ConfigError(`optimizer state is for '${state.kind}', not '${this.kind}'`);
    const restored = new Map<number, Map<string, Float32Array>>();
    for (const [key, data] of Object.entries(state.tensors)) {
      const [indexText, name] = key.split('.') as [string, string | undefined];
      const index = Number(indexText);
      const parameter = this.parameters[index];
      if (!parameter || !name || !Number.isInteger(index)) {
        throw new ConfigError(`optimizer state key '${key}' names no parameter (${this.parameters.length} parameters)`, { key });
      }
      if (data.dtype !== 'float32' || data.data.length !== parameter.size) {
        throw new ShapeError(
          `optimizer state '${key}' is ${data.dtype}${formatShape(data.shape)}, parameter ${index} is float32${formatShape(parameter.shape)}`,
          { key },
        );
      }
      const entries = restored.get(index) ?? new Map<string, Float32Array>();
      entries.set(name, Float32Array.from(data.data as Float32Array));
      restored.set(index, entries);
    }
    this.buffers.clear();
    for (const [index, entries] of restored) this.buffers.set(index, entries);
    this.steps.clear();
    for (const [index, step] of Object.entries(state.steps)) this.steps.set(Number(index), step);
    const { lr, ...rest } = state.hyperparameters;
    if (typeof lr === 'number') this.lr = lr;
    this.setHyperparameters(rest);
  }
}
