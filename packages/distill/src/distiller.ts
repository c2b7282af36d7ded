// Distiller: a Module that trains a student against a frozen teacher (Hinton et al. 2015). The
// teacher (any Module, e.g. a GraphModule imported from ONNX) is kept in eval mode, runs under
// noGrad and is NOT registered as a child, so parameters(), stateDict() and checkpoints hold the
// student only. forward(x) returns the student logits; loss(x, targets) the KD loss; fitLoss()
// adapts it to nn's fit, which calls loss(model.call(inputs), targets).
import { ConfigError } from '@efficientdl/ir';
import { Module } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { type DistillationLossOptions, distillationLoss } from './distillation-loss.js';

export interface DistillerOptions extends DistillationLossOptions {
  teacher: Module<Tensor | Tensor[]>;
  student: Module<Tensor | Tensor[]>;
}

function firstOutput(output: Tensor | Tensor[], who: string): Tensor {
  if (!Array.isArray(output)) return output;
  const first = output[0];
  if (!first) throw new ConfigError(`Distiller: the ${who} returned no outputs`);
  return first;
}

export class Distiller extends Module {
  readonly teacher: Module<Tensor | Tensor[]>;
  readonly student: Module<Tensor | Tensor[]>;
  readonly lossOptions: DistillationLossOptions;
  /** The input of the latest training-mode forward (used by fitLoss). */
  private lastInput: Tensor | undefined;

  constructor(options: DistillerOptions) {
    super();
    this.teacher = options.teacher.eval();
    this.student = this.registerModule('student', options.student);
    this.lossOptions = { temperature: options.temperature, alpha: options.alpha };
  }

  // x: the model input → student logits (N, C, ...)
  forward(x: Tensor): Tensor {
    this.lastInput = x;
    return firstOutput(this.student.call(x), 'student');
  }

  /** Teacher logits for `x`, without a tape (the teacher stays in eval mode). */
  teacherLogits(x: Tensor): Tensor {
    this.teacher.eval();
    return noGrad(() => firstOutput(this.teacher.call(x), 'teacher'));
  }

  /** The KD loss of the student on (x, targets). */
  loss(x: Tensor, targets: Tensor | readonly number[]): Tensor {
    return distillationLoss(this.call(x), this.teacherLogits(x), targets, this.lossOptions);
  }

  /** A loss(studentLogits, targets) for nn's fit: the teacher runs on the input of the last forward. */
  fitLoss(): (studentLogits: Tensor, targets: Tensor) => Tensor {
    return (studentLogits, targets) => {
      if (!this.lastInput) throw new ConfigError('Distiller.fitLoss: call the distiller (forward) before the loss');
      return distillationLoss(studentLogits, this.teacherLogits(this.lastInput), targets, this.lossOptions);
    };
  }

  override describe(): string {
    const { temperature = 4, alpha = 0.5 } = this.lossOptions;
    return `Distiller(teacher=${this.teacher.constructor.name}, temperature=${temperature}, alpha=${alpha})`;
  }
}
