// Module: the base class of every layer and model (torch.nn.Module's idea). Parameters, buffers
// and submodules are registered by name and addressed by dotted paths (`features.0.weight`), the
// same names the IR uses for initializers and safetensors uses for tensors (DESIGN §2).
import { ConfigError, DTypeError, ShapeError, type TensorData, formatShape, shapesEqual } from '@efficientdl/ir';
import { Tensor, type Traceable } from '@efficientdl/tensor';

export type StateDict = Record<string, TensorData>;

export interface LoadStateDictOptions {
  /** Require exactly the module's keys (default true); otherwise missing/unexpected keys are skipped. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const NAME_PATTERN = /^[^.]+$/;

function copyData(data: TensorData): TensorData {
  return { dtype: data.dtype, shape: [...data.shape], data: data.data.slice() as TensorData['data'] };
}

export abstract class Module<Output extends Tensor | Tensor[] = Tensor> implements Traceable {
  /** Training mode (BatchNorm uses batch statistics, Dropout drops); switch with train()/eval(). */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, Module<Tensor | Tensor[]>>();

  abstract forward(...inputs: Tensor[]): Output;

  /** Runs forward (the torch `module(x)` call). */
  call(...inputs: Tensor[]): Output {
    return this.forward(...inputs);
  }

  /** Registers a trainable tensor (sets requiresGrad) under a local name; returns it. */
  registerParameter(name: string, tensor: Tensor): Tensor {
    this.checkNewName(name, { allowDots: this.allowsDottedNames() });
    tensor.requireGrad(true);
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  /** Registers a non-trainable state tensor (running statistics, counters); returns it. */
  registerBuffer(name: string, tensor: Tensor): Tensor {
    this.checkNewName(name, { allowDots: this.allowsDottedNames() });
    this.ownBuffers.set(name, tensor);
    return tensor;
  }

  /** Registers a child module under a local name; returns it. */
  registerModule<Child extends Module<Tensor | Tensor[]>>(name: string, module: Child): Child {
    this.checkNewName(name, { allowDots: false });
    this.ownChildren.set(name, module);
    return module;
  }

  /** Replaces the child registered under `name` (pruning/quantization swap layers this way). */
  setModule(name: string, module: Module<Tensor | Tensor[]>): void {
    if (!this.ownChildren.has(name)) {
      throw new ConfigError(`${this.constructor.name}: no child module '${name}'`, { name });
    }
    this.ownChildren.set(name, module);
  }

  /** The child registered under a local name, or undefined. */
  getModule(name: string): Module<Tensor | Tensor[]> | undefined {
    return this.ownChildren.get(name);
  }

  /** Subclasses with flat dotted names (GraphModule) return true. */
  protected allowsDottedNames(): boolean {
    return false;
  }

  private checkNewName(name: string, options: { allowDots: boolean }): void {
    if (name === '' || (!options.allowDots && !NAME_PATTERN.test(name))) {
      throw new ConfigError(`${this.constructor.name}: invalid member name '${name}' (non-empty, no '.')`, { name });
    }
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.ownChildren.has(name)) {
      throw new ConfigError(`${this.constructor.name}: '${name}' is already registered`, { name });
    }
  }

  /** Replaces the tensor stored under a parameter name (used by pruning/quantization transforms). */
  setParameter(name: string, tensor: Tensor): void {
    if (!this.ownParameters.has(name)) {
      throw new ConfigError(`${this.constructor.name}: no parameter '${name}'`, { name });
    }
    tensor.requireGrad(true);
    this.ownParameters.set(name, tensor);
  }

  /** The parameter registered under a local name, or undefined. */
  getParameter(name: string): Tensor | undefined {
    return this.ownParameters.get(name);
  }

  /** The buffer registered under a local name, or undefined. */
  getBuffer(name: string): Tensor | undefined {
    return this.ownBuffers.get(name);
  }

  /** Direct children with their local names. */
  *namedChildren(): IterableIterator<[string, Module<Tensor | Tensor[]>]> {
    yield* this.ownChildren;
  }

  *children(): IterableIterator<Module<Tensor | Tensor[]>> {
    yield* this.ownChildren.values();
  }

  /** This module and every descendant with dotted paths ('' for this module), depth first. */
  *namedModules(prefix = ''): IterableIterator<[string, Module<Tensor | Tensor[]>]> {
    yield [prefix, this as Module<Tensor | Tensor[]>];
    for (const [name, child] of this.ownChildren) {
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
    }
  }

  *modules(): IterableIterator<Module<Tensor | Tensor[]>> {
    for (const [, module] of this.namedModules()) yield module;
  }

  /** Every parameter with its dotted path (`features.0.weight`). */
  *namedParameters(prefix = ''): IterableIterator<[string, Tensor]> {
    for (const [path, module] of this.namedModules(prefix)) {
      for (const [name, tensor] of module.ownParameters) yield [path ? `${path}.${name}` : name, tensor];
    }
  }

  *parameters(): IterableIterator<Tensor> {
    for (const [, tensor] of this.namedParameters()) yield tensor;
  }

  /** Every buffer with its dotted path (`features.1.running_mean`). */
  *namedBuffers(prefix = ''): IterableIterator<[string, Tensor]> {
    for (const [path, module] of this.namedModules(prefix)) {
      for (const [name, tensor] of module.ownBuffers) yield [path ? `${path}.${name}` : name, tensor];
    }
  }

  *buffers(): IterableIterator<Tensor> {
    for (const [, tensor] of this.namedBuffers()) yield tensor;
  }

  /** Parameters then buffers, with dotted names (the Traceable contract of `trace`). */
  *namedTensors(): IterableIterator<[string, Tensor]> {
    yield* this.namedParameters();
    yield* this.namedBuffers();
  }

  /** Total number of parameter elements. */
  parameterCount(): number {
    let count = 0;
    for (const tensor of this.parameters()) count += tensor.size;
    return count;
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  /** Sets evaluation mode (train(false)). */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter. */
  zeroGrad(): void {
    for (const tensor of this.parameters()) tensor.grad = undefined;
  }

  /** A snapshot (copies) of every parameter and buffer, keyed by dotted name. */
  stateDict(): StateDict {
    const state: StateDict = {};
    for (const [name, tensor] of this.namedTensors()) state[name] = copyData(tensor.data);
    return state;
  }

  /**
   * Copies values from `state` into the module's tensors. Everything is validated first, so on
   * any error (ConfigError for missing/unexpected keys when strict, ShapeError/DTypeError for a
   * mismatching tensor, each naming the key) nothing is modified.
   */
  loadStateDict(state: Readonly<Record<string, TensorData | Tensor>>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const targets = new Map(this.namedTensors());
    const missingKeys = [...targets.keys()].filter((key) => !(key in state));
    const unexpectedKeys = Object.keys(state).filter((key) => !targets.has(key));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      throw new ConfigError(
        `loadStateDict: missing keys [${missingKeys.join(', ')}], unexpected keys [${unexpectedKeys.join(', ')}]`,
        { missingKeys, unexpectedKeys },
      );
    }
    const updates: [Tensor, TensorData][] = [];
    for (const [key, target] of targets) {
      const entry = state[key];
      if (entry === undefined) continue;
      const source = entry instanceof Tensor ? entry.data : entry;
      if (source.dtype !== target.dtype) {
        throw new DTypeError(`loadStateDict: '${key}' is ${source.dtype} in the state but ${target.dtype} in the module`, { key });
      }
      if (!shapesEqual(source.shape, target.shape)) {
        throw new ShapeError(
          `loadStateDict: '${key}' has shape ${formatShape(source.shape)} in the state but ${formatShape(target.shape)} in the module`,
          { key, expected: [...target.shape], actual: [...source.shape] },
        );
      }
      updates.push([target, source]);
    }
    for (const [target, source] of updates) target.assign(source);
    return { missingKeys, unexpectedKeys };
  }

  /** A one-line-per-module summary (name, class, parameter count). */
  toString(): string {
    const lines: string[] = [];
    for (const [path, module] of this.namedModules()) {
      const depth = path === '' ? 0 : path.split('.').length;
      let own = 0;
      for (const tensor of module.ownParameters.values()) own += tensor.size;
      lines.push(`${'  '.repeat(depth)}${path || '(root)'}: ${module.describe()}${own ? ` [${own} params]` : ''}`);
    }
    return lines.join('\n');
  }

  /** A short description used by toString (class name and key hyperparameters). */
  describe(): string {
    return this.constructor.name;
  }
}
